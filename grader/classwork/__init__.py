"""Work on a class of students: reading batch folders (``results``) for exports and class analytics."""
