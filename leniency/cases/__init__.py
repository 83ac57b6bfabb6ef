"""The plea procedure: cases, defendants, recommendations, consultation, plea agreement, outcomes."""
