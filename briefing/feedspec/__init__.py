"""The podcast-feed vocabulary shared by the feed writer (publish) and the validator: namespace URIs, Apple's
categories and artwork rules, and the JSON Chapters format. It imports no stage."""
