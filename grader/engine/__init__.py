"""The grading engine: plan → collect → facts → checks → scoring. Only ``collect`` touches a transport."""
