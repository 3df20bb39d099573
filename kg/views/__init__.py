"""What people and other tools read: text, JSON and TSV answers, reports, the offline HTML
pages, and exports."""
