"""Words and patterns that several parts of extraction read (each part keeps its own others)."""

from __future__ import annotations

import re

# "Kubernetes Community Days (KCD) Colombia 2025": an acronym in brackets after a series' name
ACRONYM_ASIDE = r"(?:\([^)\n]{1,12}\)[ \t]*)?"
# time relative to the post: "this year", "este mes", "la semana pasada"
THIS_YEAR = re.compile(r"\b(this year|this year's|este año|este ano|neste ano|en este año|this month|este mes|"
                       r"este mês|next month|el próximo mes|o próximo mês|today|hoy|hoje|"
                       r"(?:this|last|next) week(?:'s|’s)?|esta semana|la semana pasada|la próxima semana|"
                       r"(?:na )?semana passada|(?:na )?próxima semana)\b", re.I)
# the vocabulary's predicate for where an edition is held ("Salt Lake City, Utah, United States")
LOCATION_NAME = "https://w3id.org/postgraph/ns#locationName"
