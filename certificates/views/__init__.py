"""Certificates' views: public verification, the learner's pages, coordinators'."""
