"""The bottom layer: typed records, errors, the one settings class and the offline guards."""
