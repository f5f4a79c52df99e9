"""Business rules of the trade-secret regime, one module per aggregate (copies, use, disclosure, inventory); shared
by the pages, the API and the commands."""
