"""Reading and writing RDF, the derived query views and their cache, the SPARQL engine and its
guards, the local endpoint, and pushing the graph to other servers."""
