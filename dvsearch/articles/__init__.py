"""Article files: finding them, reading each format, cleaning, metadata, the Article record."""
