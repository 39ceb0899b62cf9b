"""Custom actions of the assistant (rasa-sdk). One module per feature.

The action server imports this package (`rasa run actions --actions actions`), which imports
each feature module so that its Action classes register. Nothing here touches the network or
loads data at import time: catalogues load lazily once, on first use.
"""
