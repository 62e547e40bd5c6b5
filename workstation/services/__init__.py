"""Domain services: the office's logic, owning transactions; never imports reflex."""
