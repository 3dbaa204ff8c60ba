"""The grounding reader and index as they were before the cost work (main at 6a51aba), kept as a
test-only reference: the differential tests check that the faster code finds the same claims and
makes the same decisions. Not used by the package."""
