"""The study: a loaded corpus with its cached measures, the extended coverage study, the
validation of the frame measure against hand coding, and provenance."""
