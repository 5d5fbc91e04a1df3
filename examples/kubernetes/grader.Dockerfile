# The image the grading Jobs run: labgrader and the labs it grades (/labs, with the topologies they name).
# Build it from the repository root where a Python base image can be had, then push it with the device images:
#   docker build -f examples/kubernetes/grader.Dockerfile -t REGISTRY/labgrader/grader:0.2.0 .
FROM python:3.11-slim
RUN useradd --create-home --uid 1000 grader
COPY . /src
RUN pip install --no-cache-dir /src \
    && cp -r /src/labs /labs && cp -r /src/topologies /topologies \
    && rm -rf /src
USER 1000
WORKDIR /home/grader
ENTRYPOINT []
