"""Cards from a CSV file (a spreadsheet, Jira's or ServiceNow's export): read as a stream,
mapped column by column onto a kind's fields, checked row by row (the dry run), written in
batches. ``source`` reads files, ``presets`` knows other systems' columns, ``rows`` turns a
row into a card or says why not, ``writer`` writes a batch, ``jobs`` runs an import and
keeps its progress."""
