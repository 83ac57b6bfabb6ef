"""One rule data file per crime of the 2021 guideline."""
