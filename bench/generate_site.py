#!/usr/bin/env python3
"""Write a synthetic multilingual Hugo blog for benchmarks and end-to-end tests.

    python bench/generate_site.py SITE_DIR --posts 10000 [--seed 1] [--jobs 2]

`--posts N` is the number of post files; each language version is one file and one page. About
a third of the articles exist in English, Spanish and Portuguese (`x.md`, `x.es.md`, `x.pt.md`),
the others in one language. Front matter is mostly YAML, some TOML, a few JSON; some posts are
drafts. Bodies (200-1,500 words) mix the known entities of `ontology/vocabulary/*.ttl` (read from
the files, so the corpus follows the vocabulary) with invented events, projects and organizations,
and carry what the extractor looks for (co-location sentences, places with context, dates written
out, theme headings) next to what it must ignore (fenced code naming entities, inline code, URLs).

The output depends only on the seed and N: articles are planned in order from the seed and each
file is written from its own random stream, so `--jobs` changes the speed, never the bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
import shutil
import time
import unicodedata
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

REPO = Path(__file__).resolve().parents[1]
VOCABULARY_DIR = REPO / "ontology" / "vocabulary"
LANGS = ("en", "es", "pt")
MARKER = ".postgraph-bench-site"  # marks a folder this script wrote, so it may write it again

HUGO_TOML = """\
baseURL = "https://bench.example.org/"
title = "Bench Blog"
defaultContentLanguage = "en"

[languages]
  [languages.en]
    languageName = "English"
    weight = 1
  [languages.es]
    languageName = "Español"
    weight = 2
  [languages.pt]
    languageName = "Português"
    weight = 3

[permalinks]
  blog = "/blog/:year/:month/:title/"

[taxonomies]
  tag = "tags"
  category = "categories"
  author = "authors"
  series = "series"
"""

# --- phrase tables ----------------------------------------------------------------------------
# Slots: {E} the article's event edition, {E2} the one it was co-located with, {D} its dates,
# {C} "City, Region", {P}/{P2} its projects, {O} its organizer; {project}, {org}, {theme}, {event},
# {city} … draw a fresh name each time (see `render`). Every table has en, es and pt entries.

TITLES: dict[str, list[dict[str, str]]] = {
    "recap": [
        {"en": "{E} recap: {T} takes center stage", "es": "Crónica de {E}: {T} en el centro",
         "pt": "Resumo do {E}: {T} em destaque"},
        {"en": "What we learned at {E} in {C}", "es": "Lo que aprendimos en {E} en {C}",
         "pt": "O que aprendemos no {E} em {C}"},
        {"en": "Notes from {E}", "es": "Notas de {E}", "pt": "Notas do {E}"},
        {"en": "{E}: {T}, {P} and a lot of hallway talk", "es": "{E}: {T}, {P} y mucha charla de pasillo",
         "pt": "{E}: {T}, {P} e muita conversa de corredor"},
    ],
    "tutorial": [
        {"en": "Getting started with {P}", "es": "Primeros pasos con {P}", "pt": "Primeiros passos com {P}"},
        {"en": "Running {P} on {P2}: a practical guide", "es": "Cómo ejecutar {P} sobre {P2}: una guía práctica",
         "pt": "Como executar {P} sobre {P2}: um guia prático"},
        {"en": "How we migrated from {P2} to {P}", "es": "Cómo migramos de {P2} a {P}",
         "pt": "Como migramos de {P2} para {P}"},
        {"en": "Five lessons from a year with {P}", "es": "Cinco lecciones de un año con {P}",
         "pt": "Cinco lições de um ano com {P}"},
    ],
    "announcement": [
        {"en": "Call for proposals: {E}", "es": "Convocatoria abierta: {E}", "pt": "Chamada de trabalhos: {E}"},
        {"en": "Save the date: {E} comes to {C}", "es": "Reserva la fecha: {E} llega a {C}",
         "pt": "Reserve a data: {E} chega a {C}"},
        {"en": "{E} in {C}: what to expect", "es": "{E} en {C}: qué esperar", "pt": "{E} em {C}: o que esperar"},
    ],
    "essay": [
        {"en": "Why {T} matters for {O}", "es": "Por qué {T} importa para {O}", "pt": "Por que {T} importa para {O}"},
        {"en": "The state of {T} in {Y}", "es": "El estado de {T} en {Y}", "pt": "O estado de {T} em {Y}"},
        {"en": "{T} and the open source community", "es": "{T} y la comunidad de código abierto",
         "pt": "{T} e a comunidade de código aberto"},
    ],
}

OPENING: dict[str, dict[str, list[list[str]]]] = {
    "recap": {
        "en": [["{E} took place {D} in {C}.", "It was organized by {O}. The main topics were {theme} and the community around it."],
               ["This is our report from {E}, which took place {D} in {C}.",
                "{O} organized it with help from local volunteers."]],
        "es": [["{E} se celebró {D} en {C}.", "Fue organizado por {O}. Los temas principales fueron {theme} y su comunidad."],
               ["Esta es nuestra crónica de {E}, que tuvo lugar {D} en {C}.",
                "{O} lo organizó con la ayuda de voluntarios locales."]],
        "pt": [["O {E} aconteceu {D} em {C}.", "Foi organizado pela {O}. Os temas principais foram {theme} e a sua comunidade."],
               ["Este é o nosso relato do {E}, que aconteceu {D} em {C}.",
                "A {O} organizou o encontro com a ajuda de voluntários locais."]],
    },
    "tutorial": {
        "en": [["This guide shows how to run {P} together with {P2}.",
                "We tested every step on a small lab cluster before writing it down."],
               ["We have been running {P} for a while, and people keep asking how we set it up.",
                "Here is the short version, with {P2} as the backing service."]],
        "es": [["Esta guía muestra cómo usar {P} con {P2}.",
                "Probamos cada paso en un pequeño clúster de laboratorio antes de escribirlo."],
               ["Llevamos un tiempo usando {P} y mucha gente nos pregunta cómo lo configuramos.",
                "Aquí va la versión corta, con {P2} como servicio de respaldo."]],
        "pt": [["Este guia mostra como usar {P} com {P2}.",
                "Testamos cada passo em um pequeno cluster de laboratório antes de escrever."],
               ["Usamos {P} há algum tempo e muita gente pergunta como configuramos tudo.",
                "Aqui vai a versão curta, com {P2} como serviço de apoio."]],
    },
    "announcement": {
        "en": [["{E} will take place {D} in {C}.", "The call for proposals is open; the event is organized by {O}."],
               ["Save the date: {E} comes to {C} {D}.", "It is organized by {O}, and registration opens soon."]],
        "es": [["{E} se realizará {D} en {C}.",
                "La convocatoria de charlas ya está abierta y el evento es organizado por {O}."],
               ["Reserva la fecha: {E} llega a {C} {D}.", "Está organizado por {O} y las inscripciones abren pronto."]],
        "pt": [["O {E} será realizado {D} em {C}.",
                "A chamada de trabalhos já está aberta e o evento é organizado pela {O}."],
               ["Reserve a data: o {E} chega a {C} {D}.",
                "O evento é organizado pela {O} e as inscrições abrem em breve."]],
    },
    "essay": {
        "en": [["{T} is no longer a niche topic.",
                "After talking to teams at {O} and elsewhere, we wanted to write down what we learned."],
               ["A few months after {E}, the conversations about {T} are still on our minds."]],
        "es": [["{T} ya no es un tema de nicho.",
                "Después de hablar con equipos de {O} y de otros lugares, quisimos poner por escrito lo aprendido."],
               ["Unos meses después de {E}, seguimos pensando en las conversaciones sobre {T}."]],
        "pt": [["{T} já não é um assunto de nicho.",
                "Depois de conversar com equipes da {O} e de outros lugares, resolvemos registrar o que aprendemos."],
               ["Alguns meses depois do {E}, as conversas sobre {T} continuam na nossa cabeça."]],
    },
}

COLOCATED = {
    "en": ["{E} was co-located with {E2}.", "This year {E} ran alongside {E2}, so many people attended both.",
           "{E} was held in conjunction with {E2}, in the same venue."],
    "es": ["{E} se celebró junto a {E2}.", "Este año {E} tuvo lugar en el marco de {E2}, en la misma sede.",
           "{E} fue co-localizado con {E2}, así que mucha gente asistió a ambos."],
    "pt": ["O {E} foi co-localizado com o {E2}.", "Neste ano o {E} aconteceu junto com o {E2}, no mesmo local.",
           "O {E} foi realizado no âmbito do {E2}."],
}
COLOCATED_FUTURE = {
    "en": ["{E} will be co-located with {E2}.", "{E} will run alongside {E2}, in the same venue."],
    "es": ["{E} se realizará junto a {E2}.", "{E} tendrá lugar en el marco de {E2}."],
    "pt": ["O {E} será co-localizado com o {E2}.", "O {E} vai acontecer junto com o {E2}, no mesmo local."],
}

# Sentences without names, and sentences with slots.
PLAIN = {
    "en": [
        "The hallway conversations were as useful as the talks.",
        "Most of the sessions were recorded and the slides are already online.",
        "Several speakers insisted that boring infrastructure is a feature, not a bug.",
        "Attendance was higher than last year, and the workshops filled up in a day.",
        "Small teams asked the same question again and again: how much automation is enough?",
        "The volunteers at the registration desk kept everything moving.",
        "One talk walked through a failed upgrade minute by minute, which made it the most honest session of the day.",
        "Coffee breaks turned into impromptu design reviews.",
        "A recurring theme was the cost of running services that nobody owns.",
        "The lightning talks were short, funny and surprisingly technical.",
        "We left with a long list of things to try at home.",
        "Documentation came up in almost every round of questions.",
        "Students made up a good part of the audience this time.",
        "The organizers published the code of conduct and a clear way to report problems.",
        "Nobody claimed to have solved observability, which was refreshing.",
        "There was a long discussion about keeping upgrades predictable.",
        "The workshop material is available under an open license.",
        "By the end of the second day, the shared notes had grown to forty pages.",
    ],
    "es": [
        "Las conversaciones de pasillo fueron tan útiles como las charlas.",
        "La mayoría de las sesiones se grabaron y las diapositivas ya están en línea.",
        "Varios ponentes insistieron en que la infraestructura aburrida es una virtud.",
        "La asistencia superó la del año pasado y los talleres se llenaron en un día.",
        "Los equipos pequeños repitieron la misma pregunta: ¿cuánta automatización es suficiente?",
        "El equipo de voluntarios mantuvo todo en orden desde la mañana.",
        "Una charla repasó una actualización fallida minuto a minuto, y fue la más honesta del día.",
        "Las pausas para el café se convirtieron en revisiones de diseño improvisadas.",
        "Un tema recurrente fue el costo de mantener servicios que nadie siente como propios.",
        "Las charlas relámpago fueron breves, divertidas y muy técnicas.",
        "Volvimos a casa con una larga lista de cosas por probar.",
        "La documentación salió a relucir en casi todas las rondas de preguntas.",
        "Esta vez los estudiantes fueron una parte importante del público.",
        "La organización publicó el código de conducta y un canal claro para reportar problemas.",
        "Nadie dijo haber resuelto la observabilidad, y eso se agradece.",
        "Hubo una larga discusión sobre cómo hacer que las actualizaciones sean predecibles.",
        "El material de los talleres está disponible con una licencia abierta.",
        "Al final del segundo día, las notas compartidas ocupaban cuarenta páginas.",
    ],
    "pt": [
        "As conversas de corredor foram tão úteis quanto as palestras.",
        "A maioria das sessões foi gravada e os slides já estão disponíveis.",
        "Vários palestrantes defenderam que infraestrutura sem surpresas é uma qualidade.",
        "O público foi maior que no ano passado e as oficinas lotaram em um dia.",
        "Equipes pequenas repetiram a mesma pergunta: quanta automação é suficiente?",
        "Os voluntários do credenciamento mantiveram tudo funcionando.",
        "Uma palestra mostrou uma atualização que deu errado, minuto a minuto, e foi a mais honesta do dia.",
        "Os intervalos para o café viraram revisões de arquitetura improvisadas.",
        "Um tema recorrente foi o custo de manter serviços que ninguém assume como seus.",
        "As palestras relâmpago foram curtas, divertidas e bem técnicas.",
        "Voltamos para casa com uma lista enorme de coisas para testar.",
        "A documentação apareceu em quase todas as rodadas de perguntas.",
        "Desta vez os estudantes foram uma parte grande da plateia.",
        "A organização publicou o código de conduta e um canal claro para denúncias.",
        "Ninguém disse ter resolvido a observabilidade, o que foi um alívio.",
        "Houve uma longa discussão sobre como tornar as atualizações previsíveis.",
        "O material das oficinas está disponível sob uma licença aberta.",
        "No fim do segundo dia, as notas compartilhadas já tinham quarenta páginas.",
    ],
}
FILL = {
    "en": [
        "{org} shared how they run {project} in production.",
        "The maintainers of {project} gave an update on the next release.",
        "We compared {project} and {project} on the same hardware, with mixed results.",
        "Teams from {org} and {org} ran a hands-on lab about {theme}.",
        "The {theme} sessions had the longest queue of the day.",
        "Next year we hope to hear more about {theme} at {event}.",
        "A speaker from {org} explained why they moved their pipelines to {project}.",
        "We also tried {uproject}, a small tool that builds on {project}.",
        "{uorg} announced a mentoring program for newcomers to {project}.",
        "Some of us had met before at {uevent}.",
        "Engineers from {uorg} showed a demo that combined {project} with {project}.",
        "The full schedule is at {url}.",
        "To reproduce the demo, run `{cmd}` and check the logs.",
        "The next meetup will be in {city}.",
        "Thanks to {org} for sponsoring the coffee.",
        "Projects such as {project}, {project} and {project} kept coming up.",
    ],
    "es": [
        "{org} contó cómo usan {project} en producción.",
        "Las personas que mantienen {project} presentaron lo que trae la próxima versión.",
        "Comparamos {project} y {project} en el mismo hardware, con resultados mixtos.",
        "Equipos de {org} y {org} dieron un taller práctico sobre {theme}.",
        "Las sesiones de {theme} tuvieron la fila más larga del día.",
        "El próximo año esperamos escuchar más sobre {theme} en {event}.",
        "Una ponente de {org} explicó por qué movieron sus pipelines a {project}.",
        "También probamos {uproject}, una pequeña herramienta construida sobre {project}.",
        "{uorg} anunció un programa de mentorías para quienes empiezan con {project}.",
        "Algunos ya nos habíamos visto en {uevent}.",
        "Ingenieros de {uorg} mostraron una demo que combinaba {project} con {project}.",
        "La agenda completa está en {url}.",
        "Para reproducir la demo, ejecuta `{cmd}` y revisa los registros.",
        "La próxima reunión será en {city}.",
        "Gracias a {org} por patrocinar el café.",
        "Proyectos como {project}, {project} y {project} aparecieron una y otra vez.",
    ],
    "pt": [
        "{org} contou como usa {project} em produção.",
        "Os mantenedores do {project} apresentaram as novidades da próxima versão.",
        "Comparamos {project} e {project} no mesmo hardware, com resultados variados.",
        "Equipes da {org} e da {org} conduziram uma oficina prática sobre {theme}.",
        "As sessões de {theme} tiveram a maior fila do dia.",
        "No ano que vem esperamos ouvir mais sobre {theme} no {event}.",
        "Uma palestrante da {org} explicou por que migraram seus pipelines para {project}.",
        "Também testamos {uproject}, uma pequena ferramenta construída sobre {project}.",
        "A {uorg} anunciou um programa de mentoria para quem está começando com {project}.",
        "Alguns de nós já tinham se encontrado no {uevent}.",
        "Engenheiros da {uorg} mostraram uma demonstração que combinava {project} com {project}.",
        "A programação completa está em {url}.",
        "Para reproduzir a demonstração, rode `{cmd}` e confira os logs.",
        "O próximo encontro será em {city}.",
        "Obrigado à {org} pelo patrocínio do café.",
        "Projetos como {project}, {project} e {project} apareceram o tempo todo.",
    ],
}
HEADINGS = {
    "en": ["## {theme}", "### {n}. {theme}", "## {theme} in practice", "## Notes on {theme}"],
    "es": ["## {theme}", "### {n}. {theme}", "## {theme} en la práctica", "## Apuntes sobre {theme}"],
    "pt": ["## {theme}", "### {n}. {theme}", "## {theme} na prática", "## Notas sobre {theme}"],
}
STEPS = {
    "en": "1. Install {P} with `{cmd}`.\n2. Point it at your {P2} instance.\n3. Check the logs and run `{cmd}` again.",
    "es": "1. Instala {P} con `{cmd}`.\n2. Configúralo para usar tu instancia de {P2}.\n"
          "3. Revisa los registros y vuelve a ejecutar `{cmd}`.",
    "pt": "1. Instale {P} com `{cmd}`.\n2. Aponte para a sua instância de {P2}.\n3. Confira os logs e rode `{cmd}` de novo.",
}
LIST_INTRO = {"en": ["A few highlights:", "What stood out:", "Worth a look:"],
              "es": ["Algunos destacados:", "Lo que más llamó la atención:", "Vale la pena revisar:"],
              "pt": ["Alguns destaques:", "O que chamou a atenção:", "Vale a pena conferir:"]}
LIST_ITEM = ["**{project}**: {perk}.", "{project}: {perk}.", "{uproject}: {perk}."]
LIST_MARKERS = ["- ", "* ", "1. "]
PERKS = {
    "en": ["faster upgrades", "a new dashboard", "better documentation", "a simpler installer",
           "support for ARM servers", "fewer moving parts"],
    "es": ["actualizaciones más rápidas", "un panel nuevo", "mejor documentación", "un instalador más simple",
           "soporte para servidores ARM", "menos piezas móviles"],
    "pt": ["atualizações mais rápidas", "um painel novo", "documentação melhor", "um instalador mais simples",
           "suporte a servidores ARM", "menos peças móveis"],
}
IMAGE_ALT = {"en": ["The {theme} track at {E}", "Attendees at {E} in {C}", "Architecture of {P} with {P2}"],
             "es": ["La sala de {theme} en {E}", "Asistentes en {E}, en {C}", "Arquitectura de {P} con {P2}"],
             "pt": ["A trilha de {theme} no {E}", "Participantes do {E} em {C}", "Arquitetura de {P} com {P2}"]}
CLOSING = {
    "en": ["Thanks to everyone who made {E} possible. See you next year!",
           "Questions? Find us on the community forum or at {url}.", "If you try {P}, tell us how it went."],
    "es": ["Gracias a todas las personas que hicieron posible {E}. ¡Nos vemos el próximo año!",
           "¿Preguntas? Escríbenos en el foro de la comunidad o en {url}.", "Si pruebas {P}, cuéntanos cómo te fue."],
    "pt": ["Obrigado a todos que fizeram o {E} acontecer. Até o ano que vem!",
           "Dúvidas? Fale com a gente no fórum da comunidade ou em {url}.", "Se você testar {P}, conte como foi."],
}
# Fenced code: entity names in here must never be extracted.
CODE = [
    "```bash\n# try {project} next to {slug2} before {event}\ngit clone https://github.com/example/{slug}.git\n"
    "cd {slug} && make install\nkubectl apply -f deploy/{slug}.yaml\n```",
    "```yaml\n# {project} settings from the {event} workshop\nname: {slug}\nreplicas: 3\nbackend: {slug2}\n"
    "labels:\n  team: platform\n```",
    '```python\nfrom {module} import Client\n\nclient = Client(endpoint="https://{slug}.example.internal")\n'
    'print(client.status("{project}"))\n```',
    "```console\n$ {slug} --version\n{project} 2.4.1\n$ openstack server list --long\n```",
]
COMMANDS = ["kubectl get pods -A", "openstack server list", "helm upgrade --install demo ./chart", "terraform plan",
            "ceph status", "git bisect run make test", "systemctl status nginx", "docker compose up -d",
            "ansible-playbook site.yml"]
# City and region as each language writes them (places come from GeoNames, not the vocabulary).
CITIES = [
    {"en": ("Pasadena", "California"), "es": ("Pasadena", "California"), "pt": ("Pasadena", "Califórnia")},
    {"en": ("Bogotá", "Colombia"), "es": ("Bogotá", "Colombia"), "pt": ("Bogotá", "Colômbia")},
    {"en": ("São Paulo", "Brazil"), "es": ("São Paulo", "Brasil"), "pt": ("São Paulo", "Brasil")},
    {"en": ("Guadalajara", "Mexico"), "es": ("Guadalajara", "México"), "pt": ("Guadalajara", "México")},
    {"en": ("Lima", "Peru"), "es": ("Lima", "Perú"), "pt": ("Lima", "Peru")},
    {"en": ("Santiago", "Chile"), "es": ("Santiago", "Chile"), "pt": ("Santiago", "Chile")},
    {"en": ("Buenos Aires", "Argentina"), "es": ("Buenos Aires", "Argentina"), "pt": ("Buenos Aires", "Argentina")},
    {"en": ("Montevideo", "Uruguay"), "es": ("Montevideo", "Uruguay"), "pt": ("Montevidéu", "Uruguai")},
    {"en": ("Quito", "Ecuador"), "es": ("Quito", "Ecuador"), "pt": ("Quito", "Equador")},
    {"en": ("Medellín", "Colombia"), "es": ("Medellín", "Colombia"), "pt": ("Medellín", "Colômbia")},
    {"en": ("Monterrey", "Mexico"), "es": ("Monterrey", "México"), "pt": ("Monterrey", "México")},
    {"en": ("Curitiba", "Brazil"), "es": ("Curitiba", "Brasil"), "pt": ("Curitiba", "Brasil")},
    {"en": ("Porto Alegre", "Brazil"), "es": ("Porto Alegre", "Brasil"), "pt": ("Porto Alegre", "Brasil")},
    {"en": ("Austin", "Texas"), "es": ("Austin", "Texas"), "pt": ("Austin", "Texas")},
    {"en": ("Vancouver", "Canada"), "es": ("Vancouver", "Canadá"), "pt": ("Vancouver", "Canadá")},
    {"en": ("Berlin", "Germany"), "es": ("Berlín", "Alemania"), "pt": ("Berlim", "Alemanha")},
    {"en": ("Madrid", "Spain"), "es": ("Madrid", "España"), "pt": ("Madri", "Espanha")},
    {"en": ("Lisbon", "Portugal"), "es": ("Lisboa", "Portugal"), "pt": ("Lisboa", "Portugal")},
    {"en": ("Mexico City", "Mexico"), "es": ("Ciudad de México", "México"), "pt": ("Cidade do México", "México")},
    {"en": ("Denver", "Colorado"), "es": ("Denver", "Colorado"), "pt": ("Denver", "Colorado")},
    {"en": ("San José", "Costa Rica"), "es": ("San José", "Costa Rica"), "pt": ("San José", "Costa Rica")},
    {"en": ("Asunción", "Paraguay"), "es": ("Asunción", "Paraguay"), "pt": ("Assunção", "Paraguai")},
    {"en": ("Recife", "Brazil"), "es": ("Recife", "Brasil"), "pt": ("Recife", "Brasil")},
    {"en": ("Salt Lake City", "Utah"), "es": ("Salt Lake City", "Utah"), "pt": ("Salt Lake City", "Utah")},
    {"en": ("Valparaíso", "Chile"), "es": ("Valparaíso", "Chile"), "pt": ("Valparaíso", "Chile")},
    {"en": ("Florianópolis", "Brazil"), "es": ("Florianópolis", "Brasil"), "pt": ("Florianópolis", "Brasil")},
]
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"],
    "pt": ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
           "novembro", "dezembro"],
}
WEEKDAYS = {  # Monday first, as datetime.weekday()
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
    "pt": ["segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado", "domingo"],
}
TAGS = {"en": ["community", "cloud native", "open source", "devops", "security", "events", "infrastructure"],
        "es": ["comunidad", "nube", "código abierto", "devops", "seguridad", "eventos", "infraestructura"],
        "pt": ["comunidade", "nuvem", "código aberto", "devops", "segurança", "eventos", "infraestrutura"]}
CATEGORIES = {"recap": {"en": "Events", "es": "Eventos", "pt": "Eventos"},
              "tutorial": {"en": "Tutorials", "es": "Tutoriales", "pt": "Tutoriais"},
              "announcement": {"en": "News", "es": "Noticias", "pt": "Notícias"},
              "essay": {"en": "Opinion", "es": "Opinión", "pt": "Opinião"}}
AUTHORS = ["ana-ribeiro", "diego-morales", "lucia-fernandez", "tomas-quispe", "mariana-costa", "joao-pereira",
           "valentina-rojas", "samuel-okafor", "camila-duarte", "bruno-almeida", "sofia-herrera", "mateo-vargas"]
SERIES = ["Conference season", "Homelab diaries", "Road to the summit", "Operator stories", "Community spotlight"]
PART = {"en": "part", "es": "parte", "pt": "parte"}
SECTION_TITLE = {"en": "Blog", "es": "Blog", "pt": "Blog"}
UTC_OFFSETS = [-8, -7, -6, -5, -4, -3, 0, 1, 2]
# Building blocks of invented names (checked against the vocabulary so they stay unknown).
SYLLABLES = ["flar", "nix", "zel", "tor", "quo", "mir", "van", "dex", "lum", "ora", "pix", "rho", "sul", "kai",
             "bri", "vex", "nor", "tam", "ziv", "lek", "dru", "fen", "gal", "hux", "jor", "kre", "wyn", "yol"]
REPO_OWNERS = ["example", "example-org", "quetzal-labs", "andes-dev", "southcone"]
ORG_WORDS = ["Quetzal", "Condor", "Ceiba", "Tucano", "Alpaca", "Manglar", "Colibri", "Araucaria", "Yerba",
             "Capibara", "Huemul", "Vicuña", "Jacaranda", "Cenote", "Pampa"]
ORG_SUFFIXES = ["Labs", "Systems", "Networks", "Foundation", "Collective", "Data", "Works", "Cloud"]
REGIONS = [("Andean", "Andina", "Andina"), ("Pacific", "del Pacífico", "do Pacífico"),
           ("Caribbean", "del Caribe", "do Caribe"), ("Patagonian", "Patagónica", "Patagônica"),
           ("Amazon", "Amazónica", "Amazônica"), ("Southern Cone", "del Cono Sur", "do Cone Sul"),
           ("Highland", "de los Andes", "dos Andes"), ("Coastal", "Costera", "Costeira")]
TOPICS = [("Cloud", "Nube", "Nuvem"), ("Kernel", "Kernel", "Kernel"), ("DevOps", "DevOps", "DevOps"),
          ("Data", "Datos", "Dados"), ("Platform", "Plataformas", "Plataformas"),
          ("Observability", "Observabilidad", "Observabilidade"), ("Security", "Seguridad", "Segurança")]
EVENT_PATTERNS = {"en": ["{r} {t} Summit", "{r} {t} Conference", "{r} {t} Days"],
                  "es": ["Cumbre {r} de {t}", "Semana {r} de {t}"],
                  "pt": ["Semana {r} de {t}", "Conferência {r} de {t}"]}


# --- known names, from the vocabulary --------------------------------------------------------

_SDO, _SKOS, _PG = "https://schema.org/", "http://www.w3.org/2004/02/skos/core#", "https://w3id.org/postgraph/ns#"
_NAME, _PREF, _ALT = _SDO + "name", _SKOS + "prefLabel", _SKOS + "altLabel"
_ORG_CLASSES = {_SDO + c for c in ("Organization", "NGO", "Corporation", "CollegeOrUniversity",
                                   "GovernmentOrganization", "ResearchOrganization")}

Localized = dict[str, str]  # language -> name


@dataclass(frozen=True)
class Known:
    """Names of known entities: events and themes localized (en/es/pt), projects and organizations not."""

    events: tuple[Localized, ...]
    themes: tuple[Localized, ...]
    projects: tuple[str, ...]
    organizations: tuple[str, ...]


def load_known(vocabulary_dir: Path = VOCABULARY_DIR) -> Known:
    """Every matchable name (schema:name, skos:prefLabel, skos:altLabel) of the vocabulary's event
    series, projects, organizations and themes.

    Entities marked `pg:needsContext` (names that are also ordinary words) are left out: the corpus
    exercises the common case, not the ambiguity rules.
    """
    types: dict[str, set[str]] = {}
    labels: dict[str, list[tuple[str, str, str | None]]] = {}
    skip: set[str] = set()
    hidden: set[tuple[str, str]] = set()
    for path in sorted(vocabulary_dir.glob("*.ttl")):
        for t in ox.parse(path=str(path), base_iri="https://bench.example.org/id/"):
            s, p, o = t.subject.value, t.predicate.value, t.object
            if p == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type":
                types.setdefault(s, set()).add(o.value)
            elif p in (_NAME, _PREF, _ALT) and isinstance(o, ox.Literal):
                labels.setdefault(s, []).append((p, o.value, o.language))
            elif p == _PG + "needsContext" and o.value == "true":
                skip.add(s)
            elif p == _PG + "noMatchLabel":
                hidden.add((s, o.value))

    def usable(iri: str, value: str) -> bool:
        return (iri, value) not in hidden and len(value) >= 3

    def localized(iri: str, predicate: str) -> Localized | None:
        by_lang = {lg: v for p, v, lg in sorted(labels.get(iri, ()), key=str) if p == predicate and usable(iri, v)}
        fallback = by_lang.get("en") or by_lang.get(None)
        return {lang: by_lang.get(lang) or fallback for lang in LANGS} if fallback else None

    events: set[tuple[tuple[str, str], ...]] = set()
    themes: set[tuple[tuple[str, str], ...]] = set()
    projects: set[str] = set()
    orgs: set[str] = set()
    for iri, classes in types.items():
        if iri in skip:
            continue
        if _SDO + "EventSeries" in classes:
            name = localized(iri, _NAME)
            if name:
                events.add(tuple(name.items()))
            for p, v, lg in labels.get(iri, ()):
                if p == _ALT and lg in ("en", None) and usable(iri, v):
                    events.add(tuple(dict.fromkeys(LANGS, v).items()))
        elif _SKOS + "Concept" in classes:
            # the preferred label only: the aliases of themes are often acronyms or fragments
            label = localized(iri, _PREF)
            if label:
                themes.add(tuple(label.items()))
        elif "http://usefulinc.com/ns/doap#Project" in classes:
            projects.update(v for p, v, _ in labels.get(iri, ()) if usable(iri, v))
        elif classes & _ORG_CLASSES:
            orgs.update(v for p, v, _ in labels.get(iri, ()) if usable(iri, v))
    known = Known(tuple(dict(e) for e in sorted(events)), tuple(dict(t) for t in sorted(themes)),
                  tuple(sorted(projects)), tuple(sorted(orgs)))
    if not (known.events and known.themes and known.projects and known.organizations):
        raise SystemExit(f"{vocabulary_dir}: no event series, themes, projects or organizations found")
    return known


# --- planning ---------------------------------------------------------------------------------

@dataclass
class Article:
    """One story, told in one or three languages: everything its language versions share."""

    index: int
    kind: str  # recap, tutorial, announcement, essay
    langs: tuple[str, ...]
    date: dt.datetime
    title_template: int
    event: Localized  # series name, without the year
    other_event: Localized | None  # the event it was co-located with
    year: int
    start: dt.date  # of the event
    days: int
    city: int
    organizer: str
    project: str
    project2: str
    themes: list[int]
    tags: list[str]
    authors: list[str]
    series: str | None
    base: str = ""  # file name without language and extension
    titles: dict[str, str] = field(default_factory=dict)
    drafts: dict[str, bool] = field(default_factory=dict)
    formats: dict[str, str] = field(default_factory=dict)


class Corpus:
    """The names a site is written from, fixed by the seed: known ones and invented ones."""

    def __init__(self, seed: int, known: Known | None = None) -> None:
        self.seed = seed
        self.known = known or load_known()
        rng = random.Random(f"{seed}:names")
        taken = {n.lower() for n in (*self.known.projects, *self.known.organizations)}
        projects: dict[str, str] = {}
        while len(projects) < 300:
            name = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3)))).capitalize()
            if name.lower() not in taken and name not in projects:
                host = rng.choice(("github.com", "github.com", "gitlab.com"))
                projects[name] = f"https://{host}/{rng.choice(REPO_OWNERS)}/{name.lower()}"
        self.new_projects = sorted(projects.items())
        self.new_orgs = sorted({f"{a} {b}" for a in ORG_WORDS for b in ORG_SUFFIXES} - taken)
        # An invented event has one name, in the language of the people who run it.
        self.new_events: list[Localized] = []
        for region in REGIONS:
            for topic in TOPICS:
                home = rng.choice(range(len(LANGS)))
                name = rng.choice(EVENT_PATTERNS[LANGS[home]]).format(r=region[home], t=topic[home])
                self.new_events.append(dict.fromkeys(LANGS, name))

    def event(self, rng: random.Random) -> Localized:
        return rng.choice(self.known.events) if rng.random() < 0.7 else rng.choice(self.new_events)

    def plan(self, posts: int) -> list[Article]:
        """Articles with `posts` language versions in all, with unique titles and file names."""
        articles: list[Article] = []
        used_titles: set[tuple[str, str, str]] = set()
        used_files: set[str] = set()
        files = 0
        while files < posts:
            rng = random.Random(f"{self.seed}:article:{len(articles)}")
            trilingual = posts - files >= 3 and rng.random() < 1 / 3
            langs = LANGS if trilingual else (rng.choices(LANGS, weights=(6, 3, 2))[0],)
            a = self._article(rng, len(articles), langs)
            for number, lang in enumerate(langs, files):
                # Permalinks use :title, so two pages of one language and month need different titles.
                title, n = self._title(a, lang), 2
                while (lang, f"{a.date:%Y%m}", _slug(title)) in used_titles:
                    title, n = f"{self._title(a, lang)} ({PART[lang]} {n})", n + 1
                used_titles.add((lang, f"{a.date:%Y%m}", _slug(title)))
                a.titles[lang] = title
                # By file number, so that even a small site has each case: 4% drafts, 3% JSON, 12% TOML.
                a.drafts[lang] = number % 25 == 7
                a.formats[lang] = "json" if number % 33 == 4 else "toml" if number % 8 == 2 else "yaml"
            # One base name per folder: Hugo would take x.md and x.es.md for translations of each other.
            base = _slug(a.titles[langs[0]])[:60].strip("-") or "post"
            a.base, n = base, 2
            while f"{a.date.year}/{a.base}" in used_files:
                a.base, n = f"{base}-{n}", n + 1
            used_files.add(f"{a.date.year}/{a.base}")
            articles.append(a)
            files += len(langs)
        return articles

    def _article(self, rng: random.Random, index: int, langs: tuple[str, ...]) -> Article:
        first = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
        span = int((dt.datetime(2026, 10, 31, tzinfo=dt.UTC) - first).total_seconds()) // 60
        tz = dt.timezone(dt.timedelta(hours=rng.choice(UTC_OFFSETS)))
        date = (first + dt.timedelta(minutes=rng.randrange(span))).astimezone(tz)
        kind = rng.choices(("recap", "tutorial", "announcement", "essay"), weights=(40, 25, 15, 20))[0]
        ahead = dt.timedelta(days=rng.randint(30, 120) if kind == "announcement" else -rng.randint(2, 25))
        start = (date + ahead).date()
        k = self.known
        projects = rng.sample(k.projects, 2)
        return Article(
            index=index, kind=kind, langs=langs, date=date, title_template=rng.randrange(len(TITLES[kind])),
            event=self.event(rng), other_event=self.event(rng) if rng.random() < 0.6 else None,
            year=start.year, start=start, days=rng.choice((1, 1, 2, 2, 3, 4)), city=rng.randrange(len(CITIES)),
            organizer=rng.choice(k.organizations) if rng.random() < 0.6 else rng.choice(self.new_orgs),
            project=projects[0], project2=projects[1],
            themes=rng.sample(range(len(k.themes)), rng.randint(2, 5)), tags=rng.sample(k.projects, rng.randint(1, 3)),
            authors=rng.sample(AUTHORS, rng.choice((1, 1, 2))), series=rng.choice(SERIES) if rng.random() < 0.2 else None,
        )

    def _title(self, a: Article, lang: str) -> str:
        return TITLES[a.kind][a.title_template][lang].format(
            E=f"{a.event[lang]} {a.year}", Y=a.year, C=CITIES[a.city][lang][0],
            T=self.known.themes[a.themes[0]][lang], P=a.project, P2=a.project2, O=a.organizer)


def _slug(text: str) -> str:
    """Coarser than Hugo's urlize, so titles with different slugs never share a permalink."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


# --- writing ----------------------------------------------------------------------------------

def date_phrase(start: dt.date, days: int, lang: str) -> str:
    """An event's dates as people write them: "November 12 - 15, 2024", "el sábado 29 de marzo de 2025"."""
    end = start + dt.timedelta(days=days - 1)
    m1, m2 = MONTHS[lang][start.month - 1], MONTHS[lang][end.month - 1]
    if lang == "en":
        if days == 1:
            return f"on {WEEKDAYS['en'][start.weekday()]}, {m1} {start.day}, {start.year}"
        tail = f"{end.day}" if start.month == end.month else f"{m2} {end.day}"
        return f"{m1} {start.day} - {tail}, {end.year}"
    if days == 1:
        weekday = WEEKDAYS[lang][start.weekday()]
        day = f"el {weekday} {start.day}" if lang == "es" else f"no {weekday}, {start.day}"
        return f"{day} de {m1} de {start.year}"
    first = f"{start.day}" if start.month == end.month else f"{start.day} de {m1}"
    return (f"del {first} al" if lang == "es" else f"de {first} a") + f" {end.day} de {m2} de {end.year}"


class _Slots(dict):
    """Slots for `str.format_map`: the article's own values, and a fresh draw for any other key."""

    def __init__(self, fixed: dict[str, str], draw: Callable[[str], str]) -> None:
        super().__init__(fixed)
        self.draw = draw

    def __missing__(self, key: str) -> str:
        return self.draw(key)


def render(corpus: Corpus, a: Article, lang: str) -> str:
    """One language version of an article: front matter, then the Markdown body."""
    rng = random.Random(f"{corpus.seed}:file:{a.index}:{lang}")
    k = corpus.known
    city, region = CITIES[a.city][lang]
    event = f"{a.event[lang]} {a.year}"
    themes = [k.themes[i][lang] for i in a.themes]

    def linked_project() -> str:
        name, url = rng.choice(corpus.new_projects)
        return f"[{name}]({url})"

    draws: dict[str, Callable[[], str]] = {
        "project": lambda: rng.choice(k.projects),
        "org": lambda: rng.choice(k.organizations),
        "theme": lambda: rng.choice(themes),
        "event": lambda: f"{corpus.event(rng)[lang]} {rng.randint(2019, 2026)}",
        "uevent": lambda: f"{rng.choice(corpus.new_events)[lang]} {rng.randint(2019, 2026)}",
        "uproject": linked_project,
        "uorg": lambda: rng.choice(corpus.new_orgs),
        "city": lambda: "{}, {}".format(*rng.choice(CITIES)[lang]),
        "cmd": lambda: rng.choice(COMMANDS),
        "url": lambda: f"https://events.example.org/{rng.randint(2019, 2026)}/{rng.randint(1, 999)}/",
        "perk": lambda: rng.choice(PERKS[lang]),
    }
    slots = _Slots({"E": event, "E2": f"{a.other_event[lang]} {a.year}" if a.other_event else "",
                    "D": date_phrase(a.start, a.days, lang), "C": f"{city}, {region}", "P": a.project,
                    "P2": a.project2, "O": a.organizer, "T": themes[0]}, lambda key: draws[key]())
    # Words of the body, every block counted (code too): the first section always, then whole
    # paragraphs until the target; the closing line ends a body between about 200 and 1,500 words.
    target = int(rng.triangular(190, 1440, 430))
    blocks: list[str] = []
    words = 0

    def add(block: str) -> None:
        nonlocal words
        blocks.append(block)
        words += block.count(" ") + block.count("\n") + 1

    def section(n: int, theme: str) -> None:
        add(rng.choice(HEADINGS[lang]).format(n=n, theme=theme))
        for i in range(rng.randint(1, 3)):
            if i and words >= target:
                return
            add(" ".join((rng.choice(FILL[lang]) if rng.random() < 0.55 else rng.choice(PLAIN[lang]))
                         .format_map(slots) for _ in range(rng.randint(2, 6))))
        extra = rng.random()
        if extra < 0.25:
            marker = rng.choice(LIST_MARKERS)
            items = "\n".join(marker + rng.choice(LIST_ITEM).format_map(slots) for _ in range(rng.randint(3, 5)))
            add(f"{rng.choice(LIST_INTRO[lang])}\n\n{items}")
        elif extra < 0.4:
            slug = _slug(a.project) or "app"
            add(rng.choice(CODE).format(project=rng.choice(k.projects), slug=slug, slug2=_slug(a.project2) or "db",
                                        event=event, module=slug.replace("-", "_")))
        elif extra < 0.5:
            alt = rng.choice(IMAGE_ALT[lang]).format_map(slots)
            add(f"![{alt}](/images/{a.year}/{a.base}-{rng.randint(1, 9)}.jpg)")

    add(" ".join(s.format_map(slots) for s in rng.choice(OPENING[a.kind][lang])))
    if a.other_event and a.kind in ("recap", "announcement"):
        colocated = COLOCATED_FUTURE if a.kind == "announcement" else COLOCATED
        add(f"{rng.choice(colocated[lang]).format_map(slots)} {rng.choice(PLAIN[lang])}")
    if a.kind == "tutorial":
        add(STEPS[lang].format_map(slots))
    n = 0
    while n == 0 or words < target:
        section(n + 1, themes[n] if n < len(themes) else rng.choice(themes))
        n += 1
    add(rng.choice(CLOSING[lang]).format_map(slots))
    return front_matter(a, lang, rng) + "\n\n".join(blocks) + "\n"


def front_matter(a: Article, lang: str, rng: random.Random) -> str:
    """YAML, TOML or JSON front matter, as the article's plan says for this language."""
    date = a.date + dt.timedelta(days=LANGS.index(lang) if len(a.langs) > 1 else 0)  # translations come later
    fm: dict[str, object] = {"title": a.titles[lang], "date": date.isoformat()}
    if a.drafts[lang]:
        fm["draft"] = True
    fm["description"] = rng.choice(PLAIN[lang])
    fm["tags"] = [*a.tags, *rng.sample(TAGS[lang], 2)]
    fm["categories"] = [CATEGORIES[a.kind][lang]]
    fm["authors"] = a.authors
    if a.series:
        fm["series"] = [a.series]
    fm["images"] = [f"/images/{a.year}/{a.base}-cover.jpg"]
    fmt = a.formats[lang]
    if fmt == "json":
        return json.dumps(fm, ensure_ascii=False, indent=2) + "\n\n"

    def value(key: str, v: object) -> str:
        # JSON strings are valid YAML double-quoted and TOML basic strings; dates stay bare (typed).
        if key == "date" or isinstance(v, bool):
            return "true" if v is True else str(v)
        if isinstance(v, list):
            return "[" + ", ".join(json.dumps(x, ensure_ascii=False) for x in v) + "]"
        return json.dumps(v, ensure_ascii=False)

    if fmt == "toml":
        return "+++\n" + "".join(f"{k} = {value(k, v)}\n" for k, v in fm.items()) + "+++\n\n"
    lines = []
    for key, v in fm.items():
        if isinstance(v, list) and key != "images":
            lines.append(f"{key}:\n" + "".join(f"  - {json.dumps(x, ensure_ascii=False)}\n" for x in v).rstrip("\n"))
        else:
            lines.append(f"{key}: {value(key, v)}")
    return "---\n" + "\n".join(lines) + "\n---\n\n"


@dataclass
class Summary:
    """What `generate` wrote."""

    posts: int = 0  # post files, one per language version
    articles: int = 0
    drafts: int = 0
    files: int = 0  # every file: posts, the blog section's pages, hugo.toml, the marker
    by_language: dict[str, int] = field(default_factory=dict)
    by_format: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def pages(self) -> int:
        """Pages a build without drafts should have: the posts that are not drafts, and the blog
        section's page in each language."""
        return self.posts - self.drafts + len(LANGS)


def _write(args: tuple[Corpus, list[Article], str]) -> int:
    corpus, articles, root = args
    for a in articles:
        folder = os.path.join(root, "content", "blog", str(a.date.year))
        os.makedirs(folder, exist_ok=True)
        for lang in a.langs:
            name = f"{a.base}.md" if lang == "en" else f"{a.base}.{lang}.md"
            with open(os.path.join(folder, name), "w", encoding="utf-8", newline="\n") as f:
                f.write(render(corpus, a, lang))
    return sum(len(a.langs) for a in articles)


def marker_text(posts: int, seed: int) -> str:
    """What the marker file of a complete site holds: bench scripts reuse a site that matches
    (same size, seed and version of this script)."""
    version = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
    return f"written by bench/generate_site.py ({version}): posts={posts} seed={seed}\n"


def generate(site: Path, posts: int, seed: int = 1, jobs: int = 1) -> Summary:
    """Write a site of `posts` post files into `site` (a folder this script wrote before is replaced)."""
    started = time.perf_counter()
    if posts < 1:
        raise ValueError("posts must be at least 1")
    site = Path(site)
    if site.is_dir() and any(site.iterdir()):
        if not (site / MARKER).exists():
            raise SystemExit(f"{site} is not empty and was not written by this script; choose another folder")
        shutil.rmtree(site / "content", ignore_errors=True)
    blog = site / "content" / "blog"
    blog.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(seed)
    articles = corpus.plan(posts)
    summary = Summary(articles=len(articles))
    for a in articles:
        for lang in a.langs:
            summary.posts += 1
            summary.drafts += a.drafts[lang]
            summary.by_language[lang] = summary.by_language.get(lang, 0) + 1
            summary.by_format[a.formats[lang]] = summary.by_format.get(a.formats[lang], 0) + 1
    (site / "hugo.toml").write_text(HUGO_TOML, encoding="utf-8")
    (site / MARKER).write_text("incomplete\n", encoding="utf-8")
    for lang in LANGS:
        name = "_index.md" if lang == "en" else f"_index.{lang}.md"
        (blog / name).write_text(f'---\ntitle: "{SECTION_TITLE[lang]}"\n---\n', encoding="utf-8")
    chunks = [(corpus, articles[i:i + 1000], str(site)) for i in range(0, len(articles), 1000)]
    if jobs > 1 and len(chunks) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            summary.files = sum(pool.map(_write, chunks))
    else:
        summary.files = sum(map(_write, chunks))
    summary.files += 2 + len(LANGS)
    (site / MARKER).write_text(marker_text(posts, seed), encoding="utf-8")  # complete: may be reused
    summary.seconds = time.perf_counter() - started
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic multilingual Hugo blog (see the module docstring).")
    parser.add_argument("site", type=Path, help="folder to write the site into")
    parser.add_argument("--posts", type=int, default=1000, help="number of post files (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1): same seed, same bytes")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="worker processes (default: one per core); never changes the output")
    args = parser.parse_args(argv)
    s = generate(args.site, args.posts, args.seed, max(1, args.jobs))
    langs = ", ".join(f"{s.by_language.get(lang, 0)} {lang}" for lang in LANGS)
    formats = ", ".join(f"{n} {fmt}" for fmt, n in sorted(s.by_format.items(), key=lambda x: -x[1]))
    print(f"wrote {s.files} files to {args.site}: {s.posts} posts ({langs}; {formats}; {s.drafts} drafts) "
          f"in {s.articles} articles, in {s.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
