# Bump when the parser's output changes: re-ingesting then updates every cable.
PARSER_VERSION = "4"
