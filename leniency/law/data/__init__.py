"""Rule data files (YAML); a package only so that the files ship with the wheel."""
