"""The data-driven second opinion (双系统): a statistical model of what courts impose, beside the rules."""
