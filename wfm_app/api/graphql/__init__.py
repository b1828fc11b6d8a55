"""The spec's GraphQL API (strawberry): thin resolvers over the same services as the UI."""
