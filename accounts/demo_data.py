"""Demo data: the ten regions of the 2024 regional dialogues plus Caribisch Nederland, with real
municipality names, realistic organisations, one alliance per region and one demo user per role."""

REGIONS = [
    # code, name, provinces, municipalities, characteristics
    (
        "noord-oost-groningen",
        "Noord- en Oost-Groningen",
        ["GR"],
        ["Eemsdelta", "Het Hogeland", "Oldambt", "Pekela", "Stadskanaal", "Veendam", "Vlagtwedde", "Westerwolde"],
        {"border_region": True, "population_decline": True, "ageing": True, "far_from_economic_core": True},
    ),
    (
        "zuid-oost-drenthe",
        "Zuid- en Oost-Drenthe",
        ["DR"],
        ["Emmen", "Coevorden", "Borger-Odoorn", "Hoogeveen"],
        {"border_region": True, "population_decline": True, "ageing": True},
    ),
    (
        "zuid-limburg",
        "Zuid-Limburg",
        ["LI"],
        ["Maastricht", "Heerlen", "Sittard-Geleen", "Kerkrade", "Landgraaf", "Brunssum", "Vaals", "Eijsden-Margraten"],
        {"border_region": True, "population_decline": True, "ageing": True},
    ),
    (
        "midden-limburg",
        "Midden-Limburg",
        ["LI"],
        ["Roermond", "Weert", "Leudal", "Maasgouw", "Roerdalen", "Echt-Susteren", "Nederweert"],
        {"border_region": True, "ageing": True},
    ),
    (
        "noord-limburg",
        "Noord-Limburg",
        ["LI"],
        ["Venlo", "Venray", "Horst aan de Maas", "Peel en Maas", "Beesel", "Bergen (L)", "Gennep", "Mook en Middelaar"],
        {"border_region": True},
    ),
    (
        "zeeuws-vlaanderen",
        "Zeeuws-Vlaanderen",
        ["ZE"],
        ["Terneuzen", "Hulst", "Sluis"],
        {"border_region": True, "population_decline": True, "ageing": True, "far_from_economic_core": True},
    ),
    (
        "kop-van-noord-holland",
        "Kop van Noord-Holland",
        ["NH"],
        ["Den Helder", "Hollands Kroon", "Schagen", "Texel"],
        {"population_decline": True, "ageing": True, "far_from_economic_core": True},
    ),
    (
        "achterhoek",
        "De Achterhoek",
        ["GE"],
        [
            "Aalten",
            "Berkelland",
            "Bronckhorst",
            "Doetinchem",
            "Montferland",
            "Oost Gelre",
            "Oude IJsselstreek",
            "Winterswijk",
        ],
        {"border_region": True, "population_decline": True, "ageing": True},
    ),
    (
        "zuidoost-noord-fryslan",
        "Zuidoost- en Noord-Fryslân",
        ["FR"],
        [
            "Noardeast-Fryslân",
            "Dantumadiel",
            "Achtkarspelen",
            "Tytsjerksteradiel",
            "Smallingerland",
            "Opsterland",
            "Ooststellingwerf",
            "Weststellingwerf",
            "Heerenveen",
        ],
        {"population_decline": True, "ageing": True, "far_from_economic_core": True},
    ),
    (
        "twente",
        "Twente",
        ["OV"],
        [
            "Enschede",
            "Hengelo",
            "Almelo",
            "Oldenzaal",
            "Losser",
            "Dinkelland",
            "Tubbergen",
            "Twenterand",
            "Hof van Twente",
        ],
        {"border_region": True},
    ),
    (
        "caribisch-nederland",
        "Caribisch Nederland",
        ["CN"],
        ["Bonaire", "Sint Eustatius", "Saba"],
        {"far_from_economic_core": True},
    ),
]

# Per region: extra (non-municipal) organisations that take part in the alliance.
EXTRA_ORGANISATIONS = {
    "noord-oost-groningen": [
        ("Provincie Groningen", "provincie"),
        ("Noorderpoort", "onderwijsinstelling"),
        ("Ommelander Ziekenhuis Groningen", "maatschappelijke_organisatie"),
        ("Waterschap Hunze en Aa's", "waterschap"),
    ],
    "zuid-oost-drenthe": [
        ("Provincie Drenthe", "provincie"),
        ("Drenthe College", "onderwijsinstelling"),
        ("Treant Zorggroep", "maatschappelijke_organisatie"),
    ],
    "zuid-limburg": [
        ("Provincie Limburg", "provincie"),
        ("Maastricht University", "kennisinstelling"),
        ("Zuyd Hogeschool", "onderwijsinstelling"),
        ("Brightlands Chemelot Campus", "bedrijf"),
    ],
    "midden-limburg": [
        ("Vista college", "onderwijsinstelling"),
        ("Laurentius Ziekenhuis Roermond", "maatschappelijke_organisatie"),
        ("Waterschap Limburg", "waterschap"),
    ],
    "noord-limburg": [
        ("Gilde Opleidingen", "onderwijsinstelling"),
        ("VieCuri Medisch Centrum", "maatschappelijke_organisatie"),
        ("Greenport Venlo", "bedrijf"),
    ],
    "zeeuws-vlaanderen": [
        ("Provincie Zeeland", "provincie"),
        ("Scalda", "onderwijsinstelling"),
        ("North Sea Port", "bedrijf"),
        ("ZorgSaam", "maatschappelijke_organisatie"),
    ],
    "kop-van-noord-holland": [
        ("Provincie Noord-Holland", "provincie"),
        ("Clusius College", "onderwijsinstelling"),
        ("Noordwest Ziekenhuisgroep", "maatschappelijke_organisatie"),
    ],
    "achterhoek": [
        ("Provincie Gelderland", "provincie"),
        ("Graafschap College", "onderwijsinstelling"),
        ("Slingeland Ziekenhuis", "maatschappelijke_organisatie"),
        ("Achterhoek Board", "overig"),
    ],
    "zuidoost-noord-fryslan": [
        ("Provincie Fryslân", "provincie"),
        ("Friesland College", "onderwijsinstelling"),
        ("Wetterskip Fryslân", "waterschap"),
        ("Doarpswurk", "inwonerscollectief"),
    ],
    "twente": [
        ("Provincie Overijssel", "provincie"),
        ("Universiteit Twente", "kennisinstelling"),
        ("ROC van Twente", "onderwijsinstelling"),
        ("Twente Board", "overig"),
    ],
    "caribisch-nederland": [
        ("Openbaar Lichaam Bonaire", "overig"),
        ("Fundashon Mariadal", "maatschappelijke_organisatie"),
    ],
}

DEMO_PASSWORD = "Kansen-Demo-2026!"

# Every region has a state representative (without one an agenda there can never get its advice and be
# decided). The Achterhoek's is the demo user in DEMO_USERS; Zuid-Limburg's advises on the active agenda.
REGION_STATE_REPRESENTATIVES = {
    "zuid-limburg": ("rijksvertegenwoordiger-limburg@demo.kansenagenda.nl", "Jo", "Frissen"),
}


def region_state_representative(code: str, name: str) -> tuple[str, str, str]:
    """(email, first name, last name) of the demo state representative of a region other than the Achterhoek."""
    return REGION_STATE_REPRESENTATIVES.get(
        code, (f"rijksvertegenwoordiger-{code}@demo.kansenagenda.nl", "Rijksvertegenwoordiger", name)
    )


# One demo user per role (email, first name, last name, role, region code for coordinator/partner/state rep).
DEMO_USERS = [
    ("coordinator@demo.kansenagenda.nl", "Anke", "Bakker", "coordinator", "achterhoek"),
    ("partner@demo.kansenagenda.nl", "Bram", "de Vries", "partner", "achterhoek"),
    ("reviewer@demo.kansenagenda.nl", "Carla", "Jansen", "reviewer", None),
    ("rijksvertegenwoordiger@demo.kansenagenda.nl", "Daan", "Visser", "state_representative", "achterhoek"),
    ("medewerker@demo.kansenagenda.nl", "Eva", "Smit", "ministry_officer", None),
    ("ondertekenaar@demo.kansenagenda.nl", "Frank", "Mulder", "ministry_signatory", None),
    ("beheerder@demo.kansenagenda.nl", "Greet", "de Boer", "administrator", None),
    # the Achterhoek's supporter (VNG); the support itself is set with the demo agendas (agendas/demo_data.py)
    ("ondersteuner@demo.kansenagenda.nl", "Hanna", "Steunebrink", "supporter", None),
]
