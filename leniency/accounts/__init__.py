"""Units (procuratorates, courts, police, legal-aid centres) and the people who work in them."""
