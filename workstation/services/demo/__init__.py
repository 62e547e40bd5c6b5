"""Building blocks of the deterministic demo office (see `workstation.services.demo.seed`)."""
