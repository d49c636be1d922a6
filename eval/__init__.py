"""Evaluation of scripted Q&A test sets, with baselines."""
