"""Pages and the REST API."""
