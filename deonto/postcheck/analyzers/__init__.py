"""Offline analysis of draft posts and photos: what could go wrong, why, and how to fix it.

Plain Python (no Django): dataclasses in, dataclasses out. The Django page and API build on it.
"""
