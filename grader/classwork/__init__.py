"""Grading a class: per-student variants, submission bundles, batch grading with a journal, shards and merge.

- ``variants``: each student's variables from the lab's pools, keyed by the course secret (HMAC-SHA256),
  distinct across the roster where the pools allow.
- ``course``: the course file (where the secret and the roster come from); ``roster``: CSV rosters, validated.
- ``bundle``: the zip a student submits (``labgrader submit``), read as hostile input.
- ``submission``: recording a bundle, grading one with the instructor's values (through the session API).
- ``batch``: a whole roster graded concurrently into a batch folder (``grader.model.classwork``), resumable,
  in shards; ``merge`` combines shard folders.
- ``rerender``: a recorded capture re-rendered for another variant (demo classes, benchmarks, tests).
- ``results``: reading batch folders, for exports and class analytics.

Student-side commands (``submit``, ``check``) import nothing that needs Docker or a POSIX system.
"""
