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

#: the nouns of en/es/pt that name an event ("its event", "the conference", "este evento")
EVENT_NOUNS = ("event|events|evento|eventos|conference|conferences|conferencia|conferencias|conferência|"
               "conferências|summit|cumbre|encuentro|encontro")
# "this event", "the conference", "this \"super-event\"", "este evento", "a conferência": the post's event
EVENT_ANAPHOR = re.compile(
    r"\b(?:this|the|our|este|esta|el|la|nuestro|nuestra|o|a|nosso|nossa|esse|essa)\s+[\"'“”]?(?:s[uú]per-?)?"
    rf"(?:{EVENT_NOUNS}|meetup|gathering|edition|edición|edição)[\"'“”]?\s", re.I)
_WEEKDAYS = (r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|lunes|martes|miércoles|jueves|viernes|"
             r"sábado|domingo|segunda-feira|terça-feira|quarta-feira|quinta-feira|sexta-feira)")
# "Tuesday - GitOpsCon", "Tuesday 17 May - GitOpsCon", "Tuesday, October 25 (GitOpsCon)", "Day 0: Linkerd Day"
SCHEDULE_DAY = re.compile(rf"^(?:{_WEEKDAYS}|Day\s+\d)\b[ \t,]*(?P<date>[^-–—:(\[]{{0,24}}?)[ \t]*[-–—:(\[]", re.I)
# a "Co-located events" heading
COLOCATED_HEADING = re.compile(r"co-?locat|colocaliz|co-?localiz", re.I)
# headings that name no theme ("Agenda", "Venue", "Thank you"): graph.explore.theme_candidates skips them
GENERIC_HEADINGS = re.compile(
    r"^(abstract|introduc|conclusi|conclus|summary|resumen|resumo|what|qué|que|o que|why|por qu|agenda|venue|sede|"
    r"local|lugar|sponsor|patrocin|speaker|ponente|palestrante|registr|inscri|save the date|reserv|"
    r"tickets|boletos|ingressos|about|acerca|sobre|contact|contacto|contato|faq|questions|preguntas|"
    r"perguntas|presentations|presentaciones|apresenta|references|referencias|referências|resources|"
    r"recursos|next steps|próximos pasos|próximos passos|thank|gracias|agradec|obrigad|gratitude|join|"
    r"únete|junte|how to|cómo|como|get involved|involúcrate|participe|the takeaway|final thoughts|getting started|"
    r"primeros pasos|começando|primeiros passos|the challenge|el desafío|o desafio|conclusion|final words|"
    r"pre-?requisites|requisitos|installation|instalación|instalação)", re.I)
