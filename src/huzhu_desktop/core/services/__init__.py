"""Services: one module per area. Each takes `session=` and `actor=` and never commits."""
