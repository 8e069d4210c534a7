"""The `evaluate` stage: score each config's best checkpoint on its test split, and summarize configs."""
