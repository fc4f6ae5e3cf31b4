"""The course's pages: e-learning (``learning``), live classroom (``live``), content (``content``)."""
