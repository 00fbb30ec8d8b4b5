"""The foundation every layer may use: errors, paths and settings, progress, worker pools,
uncertainty intervals. It imports nothing else of the package."""
