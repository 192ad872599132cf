"""Typed metadata and what a search asks of it (filters, sort keys, facets): pure
functions of values and declared types, no Whoosh."""

from .conditions import Condition, conditions, entity_conditions, facet_fields, sort_keys, written_condition
from .types import DATE, KEYWORD, NUMBER, TYPES, check_declarations, checked_value, key_of, keyword_values

__all__ = ["Condition", "conditions", "entity_conditions", "facet_fields", "sort_keys", "written_condition",
           "DATE", "KEYWORD", "NUMBER", "TYPES", "check_declarations", "checked_value", "key_of", "keyword_values"]
