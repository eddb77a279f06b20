"""The one station table: canonical codes, display names, countries and spellings.

A *station* is the post that sends a cable. Its canonical code is how the Cablegate
reference id spells it: the banner station with spaces removed (``SAN JOSE`` ->
``SANJOSE``), ``SECSTATE`` -> ``STATE``. The display name is how the Cablegate site
writes the origin ("Embassy Ottawa", "Consulate Sao Paulo", "Secretary of State").

Countries are the two-letter *TAGS* country codes the cables themselves use (the State
Department's FIPS 10-4 based codes: CA Canada, BR Brazil, SP Spain, UK United Kingdom,
TU Turkey ...), so that ``station_country(code)`` can be compared with a cable's TAGS.
Multilateral missions (USNATO, USUN New York, UNVIE ...) have no country (``None``).

The table also covers the garbled station codes that occur in real Cablegate ids
(``BRUSSQLS``, ``THEHAGU``, ``EFTOLONDON`` ...): they resolve to the real station.
"""

from __future__ import annotations

import re

from .months import MONTH_WORDS

# code | display name ("E City" = Embassy City, "C City" = Consulate City, else verbatim)
# | country | extra spellings (";"-separated, as banners, FM lines and REFs write them)
_TABLE = """
ABIDJAN|E Abidjan|IV|
ABUDHABI|E Abu Dhabi|AE|
ABUJA|E Abuja|NI|
ACCRA|E Accra|GH|
ADANA|C Adana|TU|
ADDISABABA|E Addis Ababa|ET|
AITTAIPEI|American Institute Taiwan, Taipei|TW|AIT TAIPEI;AMERICAN INSTITUTE TAIWAN TAIPEI
ALEXANDRIA|C Alexandria|EG|
ALGIERS|E Algiers|AG|
ALMATY|E Almaty|KZ|
AMMAN|E Amman|JO|
AMSTERDAM|C Amsterdam|NL|
ANKARA|E Ankara|TU|
ANTANANARIVO|E Antananarivo|MA|
APIA|E Apia|WS|
ASHGABAT|E Ashgabat|TX|ASHGABAD
ASMARA|E Asmara|ER|
ASTANA|E Astana|KZ|
ASUNCION|E Asuncion|PA|
ATHENS|E Athens|GR|
AUCKLAND|C Auckland|NZ|
BAGHDAD|E Baghdad|IZ|
BAKU|E Baku|AJ|
BAMAKO|E Bamako|ML|
BANDARSERIBEGAWAN|E Bandar Seri Begawan|BX|
BANGKOK|E Bangkok|TH|
BANGUI|E Bangui|CT|
BANJUL|E Banjul|GA|
BARCELONA|C Barcelona|SP|
BASRAH|REO Basrah|IZ|REO BASRAH
BEIJING|E Beijing|CH|
BEIRUT|E Beirut|LE|
BELFAST|C Belfast|UK|
BELGRADE|E Belgrade|SR|
BELIZE|E Belize|BH|
BELMOPAN|E Belmopan|BH|
BERLIN|E Berlin|GM|
BERN|E Bern|SZ|BERNE
BISHKEK|E Bishkek|KG|
BOGOTA|E Bogota|CO|
BONN|E Bonn|GM|
BRASILIA|E Brasilia|BR|
BRATISLAVA|E Bratislava|LO|
BRAZZAVILLE|E Brazzaville|CF|
BRIDGETOWN|E Bridgetown|BB|
BRUSSELS|E Brussels|BE|
BUCHAREST|E Bucharest|RO|
BUDAPEST|E Budapest|HU|
BUENOSAIRES|E Buenos Aires|AR|
BUJUMBURA|E Bujumbura|BY|
CAIRO|E Cairo|EG|
CALCUTTA|C Kolkata|IN|
CALGARY|C Calgary|CA|
CANBERRA|E Canberra|AS|
CAPETOWN|C Cape Town|SF|
CARACAS|E Caracas|VE|
CASABLANCA|C Casablanca|MO|
CDGENEVA|Mission CD Geneva||USMISSION CD GENEVA;CD GENEVA
CHENGDU|C Chengdu|CH|
CHENNAI|C Chennai|IN|
CHIANGMAI|C Chiang Mai|TH|
CHISINAU|E Chisinau|MD|
CIUDADJUAREZ|C Ciudad Juarez|MX|
COLOMBO|E Colombo|CE|
CONAKRY|E Conakry|GV|
COPENHAGEN|E Copenhagen|DA|
COTONOU|E Cotonou|BN|
CURACAO|C Curacao|NT|
DAKAR|E Dakar|SG|
DAMASCUS|E Damascus|SY|
DARESSALAAM|E Dar Es Salaam|TZ|
DHAHRAN|C Dhahran|SA|
DHAKA|E Dhaka|BG|
DILI|E Dili|TT|
DJIBOUTI|E Djibouti|DJ|
DOHA|E Doha|QA|
DUBAI|C Dubai|AE|
DUBLIN|E Dublin|EI|
DURBAN|C Durban|SF|
DUSHANBE|E Dushanbe|TI|
DUSSELDORF|C Dusseldorf|GM|
FESTTWO|FEST Two||
FLORENCE|C Florence|IT|
FRANKFURT|C Frankfurt|GM|
FREETOWN|E Freetown|SL|
FSCCHARLESTON|FSC Charleston|US|
FSINFATC|FSI Arlington|US|
FUKUOKA|C Fukuoka|JA|
GABORONE|E Gaborone|BC|
GENEVA|US Mission Geneva||USMISSION GENEVA;US MISSION GENEVA
GEORGETOWN|E Georgetown|GY|
GRENADA|E Grenada|GJ|
GUADALAJARA|C Guadalajara|MX|
GUANGZHOU|C Guangzhou|CH|
GUATEMALA|E Guatemala|GT|GUATEMALA CITY
GUAYAQUIL|C Guayaquil|EC|
HALIFAX|C Halifax|CA|
HAMBURG|C Hamburg|GM|
HAMILTON|C Hamilton|BD|
HANOI|E Hanoi|VM|
HARARE|E Harare|ZI|
HAVANA|US Interests Section Havana|CU|USINT HAVANA
HELSINKI|E Helsinki|FI|
HERMOSILLO|C Hermosillo|MX|
HILLAH|REO Hillah|IZ|REO HILLAH
HOCHIMINHCITY|C Ho Chi Minh City|VM|
HONGKONG|C Hong Kong|HK|
HYDERABAD|C Hyderabad|IN|
IRANRPODUBAI|Iran RPO Dubai|AE|IRAN RPO DUBAI
ISLAMABAD|E Islamabad|PK|
ISTANBUL|C Istanbul|TU|
IZMIR|C Izmir|TU|
JAKARTA|E Jakarta|ID|
JEDDAH|C Jeddah|SA|
JERUSALEM|C Jerusalem|IS|
JOHANNESBURG|C Johannesburg|SF|
KABUL|E Kabul|AF|
KADUNA|C Kaduna|NI|
KAMPALA|E Kampala|UG|
KARACHI|C Karachi|PK|
KATHMANDU|E Kathmandu|NP|
KHARTOUM|E Khartoum|SU|
KIEV|E Kyiv|UP|
KIGALI|E Kigali|RW|
KINGSTON|E Kingston|JM|
KINSHASA|E Kinshasa|CG|
KIRKUK|REO Kirkuk|IZ|REO KIRKUK
KOLKATA|C Kolkata|IN|
KOLONIA|E Kolonia|FM|
KOROR|E Koror|PS|
KRAKOW|C Krakow|PL|
KUALALUMPUR|E Kuala Lumpur|MY|
KUWAIT|E Kuwait|KU|KUWAIT CITY
KYIV|E Kyiv|UP|
LAGOS|C Lagos|NI|
LAHORE|C Lahore|PK|
LAPAZ|E La Paz|BL|
LEIPZIG|C Leipzig|GM|
LENINGRAD|C Leningrad|RS|
LIBREVILLE|E Libreville|GB|
LILONGWE|E Lilongwe|MI|
LIMA|E Lima|PE|
LISBON|E Lisbon|PO|
LJUBLJANA|E Ljubljana|SI|
LOME|E Lome|TO|
LONDON|E London|UK|
LUANDA|E Luanda|AO|
LUSAKA|E Lusaka|ZA|
LUXEMBOURG|E Luxembourg|LU|
MADRAS|C Chennai|IN|
MADRID|E Madrid|SP|
MAJURO|E Majuro|RM|
MALABO|E Malabo|EK|
MANAGUA|E Managua|NU|
MANAMA|E Manama|BA|
MANILA|E Manila|RP|
MAPUTO|E Maputo|MZ|
MARSEILLE|C Marseille|FR|
MASERU|E Maseru|LT|
MATAMOROS|C Matamoros|MX|
MBABANE|E Mbabane|WZ|
MELBOURNE|C Melbourne|AS|
MERIDA|C Merida|MX|
MEXICO|E Mexico|MX|MEXICO CITY
MILAN|C Milan|IT|
MINSK|E Minsk|BO|
MOGADISHU|E Mogadishu|SO|
MONROVIA|E Monrovia|LI|
MONTERREY|C Monterrey|MX|
MONTEVIDEO|E Montevideo|UY|
MONTREAL|C Montreal|CA|
MOSCOW|E Moscow|RS|
MOSUL|REO Mosul|IZ|REO MOSUL
MUMBAI|C Mumbai|IN|
MUNICH|C Munich|GM|
MUSCAT|E Muscat|MU|
NAGOYA|C Nagoya|JA|
NAHA|C Naha|JA|
NAIROBI|E Nairobi|KE|
NAPLES|C Naples|IT|
NASSAU|E Nassau|BF|
NDJAMENA|E Ndjamena|CD|N'DJAMENA
NEWDELHI|E New Delhi|IN|
NIAMEY|E Niamey|NG|
NICOSIA|E Nicosia|CY|
NOGALES|C Nogales|MX|
NOUAKCHOTT|E Nouakchott|MR|
NUEVOLAREDO|C Nuevo Laredo|MX|
OSAKAKOBE|C Osaka Kobe|JA|OSAKA-KOBE
OSLO|E Oslo|NO|
OTTAWA|E Ottawa|CA|
OUAGADOUGOU|E Ouagadougou|UV|
PANAMA|E Panama|PM|PANAMA CITY
PARAMARIBO|E Paramaribo|NS|
PARIS|E Paris|FR|
PARISFR|Mission UNESCO||USMISSION UNESCO PARIS FR
PARTO|US Delegation, Secretary||USDEL SECRETARY
PERTH|C Perth|AS|
PESHAWAR|C Peshawar|PK|
PHNOMPENH|E Phnom Penh|CB|
PODGORICA|E Podgorica|MW|
PONTADELGADA|C Ponta Delgada|PO|
PORTAUPRINCE|E Port Au Prince|HA|
PORTLOUIS|E Port Louis|MP|
PORTMORESBY|E Port Moresby|PP|
PORTOFSPAIN|E Port Of Spain|TD|
PRAGUE|E Prague|EZ|
PRAIA|E Praia|CV|
PRETORIA|E Pretoria|SF|
PRISTINA|E Pristina|KV|
QUEBEC|C Quebec|CA|
QUITO|E Quito|EC|
RABAT|E Rabat|MO|
RANGOON|E Rangoon|BM|
RECIFE|C Recife|BR|
REYKJAVIK|E Reykjavik|IC|
RIGA|E Riga|LG|
RIODEJANEIRO|C Rio De Janeiro|BR|
RIYADH|E Riyadh|SA|
ROME|E Rome|IT|
RPODUBAI|Iran RPO Dubai|AE|RPO DUBAI
SANAA|E Sanaa|YM|
SANJOSE|E San Jose|CS|
SANSALVADOR|E San Salvador|ES|
SANTIAGO|E Santiago|CI|
SANTODOMINGO|E Santo Domingo|DR|
SAOPAULO|C Sao Paulo|BR|
SAPPORO|C Sapporo|JA|
SARAJEVO|E Sarajevo|BK|
SEOUL|E Seoul|KS|
SHANGHAI|C Shanghai|CH|
SHENYANG|C Shenyang|CH|
SINGAPORE|E Singapore|SN|
SKOPJE|E Skopje|MK|
SOFIA|E Sofia|BU|
STATE|Secretary of State|US|SECSTATE;SECSTATE WASHDC;SECSTATE WASHINGTON DC;SECSTATE WASH DC;SECSTAT
STOCKHOLM|E Stockholm|SW|
STPETERSBURG|C St Petersburg|RS|ST PETERSBURG;ST. PETERSBURG;SAINT PETERSBURG
STRASBOURG|C Strasbourg|FR|
SURABAYA|C Surabaya|ID|
SUVA|E Suva|FJ|
SYDNEY|C Sydney|AS|
TAIPEI|American Institute Taiwan, Taipei|TW|
TALLINN|E Tallinn|EN|
TASHKENT|E Tashkent|UZ|
TBILISI|E Tbilisi|GG|
TEGUCIGALPA|E Tegucigalpa|HO|
TEHRAN|E Tehran|IR|
TELAVIV|E Tel Aviv|IS|
THEHAGUE|E The Hague|NL|HAGUE
THESSALONIKI|C Thessaloniki|GR|
TIJUANA|C Tijuana|MX|
TIRANA|E Tirana|AL|
TOKYO|E Tokyo|JA|
TORONTO|C Toronto|CA|
TRIPOLI|E Tripoli|LY|USLO TRIPOLI
TUNIS|E Tunis|TS|
ULAANBAATAR|E Ulaanbaatar|MG|
UNESCOPARIS|Mission UNESCO||
UNESCOPARISFR|Mission UNESCO||USMISSION UNESCO PARIS;USUNESCO PARIS FR;USUNESCO PARIS;USUNESCO
UNROME|Mission UN Rome||USMISSION UN ROME;US MISSION UN ROME
UNVIEVIENNA|UNVIE||USMISSION UNVIE VIENNA;UNVIE VIENNA;UNVIE;USUNVIE;USUNVIE VIENNA;US MISSION UNVIE
USEUBRUSSELS|USEU Brussels||USEU BRUSSELS;USMISSION USEU BRUSSELS;USEU;US EU BRUSSELS;USMISSION USEU
USNATO|Mission USNATO||USMISSION USNATO;USNATO BRUSSELS;US NATO
USOSCE|Mission USOSCE||USMISSION USOSCE;USOSCE VIENNA;US OSCE
USTRGENEVA|Mission USTR Geneva||USMISSION USTR GENEVA;USTR GENEVA
USUNNEWYORK|USUN New York||USMISSION USUN NEW YORK;USUN NEW YORK;USUN NY;USUN;USUN NEWYORK;USUNNY
VALLETTA|E Valletta|MT|
VANCOUVER|C Vancouver|CA|
VATICAN|E Vatican|VT|
VIENNA|E Vienna|AU|
VIENTIANE|E Vientiane|LA|
VILNIUS|E Vilnius|LH|
VLADIVOSTOK|C Vladivostok|RS|
WARSAW|E Warsaw|PL|
WASHDC|Secretary of State|US|
WELLINGTON|E Wellington|NZ|
WINDHOEK|E Windhoek|WA|
YAOUNDE|E Yaounde|CM|
YEKATERINBURG|C Yekaterinburg|RS|
YEREVAN|E Yerevan|AM|
ZAGREB|E Zagreb|HR|
"""

# More spellings of a station, as REF lines write them: "code|spelling;spelling".
_MORE_SPELLINGS = """
STATE|SECTSTATE;SECSTATEE;SECTATE;SECSATE;SESTATE;SECDSTATE;SCSTATE;SECSTTE
STATE|DEPTEL;DEPTELS;STATE DEPT
UNESCOPARISFR|UNESCO PARIS;UNESCO PARIS FR;USMISSION UNESCO
USUNNEWYORK|US UN NEW YORK
"""

# Misspelt station codes that occur in real Cablegate ids -> the real station.
GARBLED_CODES: dict[str, str] = {
    "AITTAIPIE": "AITTAIPEI",
    "AMEMBASSYHANOI": "HANOI",
    "ANILA": "MANILA",
    "ANOI": "HANOI",
    "AQNA": "SANAA",
    "ARAJEVO": "SARAJEVO",
    "ATANANARIVO": "ANTANANARIVO",
    "BANGOK": "BANGKOK",
    "BAU": "BAKU",
    "BEIJIG": "BEIJING",
    "BEIRT": "BEIRUT",
    "BELGADE": "BELGRADE",
    "BISHIEK": "BISHKEK",
    "BRAILIA": "BRASILIA",
    "BRASIIA": "BRASILIA",
    "BRUSELS": "BRUSSELS",
    "BRUSSLS": "BRUSSELS",
    "BRUSSQLS": "BRUSSELS",
    "BUENOSQRES": "BUENOSAIRES",
    "BUSSELS": "BRUSSELS",
    "COPENHAEN": "COPENHAGEN",
    "DAMASCCUS": "DAMASCUS",
    "DULIN": "DUBLIN",
    "EIJING": "BEIJING",
    "GEORGETON": "GEORGETOWN",
    "GUATEMLA": "GUATEMALA",
    "HONGKOG": "HONGKONG",
    "IHARTOUM": "KHARTOUM",
    "INSHASA": "KINSHASA",
    "KAPALA": "KAMPALA",
    "KINHASA": "KINSHASA",
    "KINSHAA": "KINSHASA",
    "LINSK": "MINSK",
    "MAAMA": "MANAMA",
    "MAILA": "MANILA",
    "MILSK": "MINSK",
    "MINSI": "MINSK",
    "NDJAENA": "NDJAMENA",
    "NOFORNMOGADISHU": "MOGADISHU",
    "NOUKKCHOTT": "NOUAKCHOTT",
    "NSSAU": "NASSAU",
    "PORTOFPAIN": "PORTOFSPAIN",
    "POTAUPRINCE": "PORTAUPRINCE",
    "QRIPOLI": "TRIPOLI",
    "QXICO": "MEXICO",
    "RUSSELS": "BRUSSELS",
    "SANODOMINGO": "SANTODOMINGO",
    "SANTOOMINGO": "SANTODOMINGO",
    "SARAEVO": "SARAJEVO",
    "SIFIEDABUJA": "ABUJA",
    "SOIA": "SOFIA",
    "THEHAGE": "THEHAGUE",
    "THEHAGU": "THEHAGUE",
    "TILISI": "TBILISI",
}

# Words that precede a station name in FM/TO lines and banners ("AMEMBASSY OTTAWA").
_PREFIXES = (
    "AMEMBASSY",
    "AMCONSUL",
    "AMCONSULATE",
    "AMERICAN EMBASSY",
    "AMERICAN CONSULATE",
    "US EMBASSY",
    "USEMBASSY",
    "EMBASSY",
    "CONSULATE GENERAL",
    "CONSULATE",
    "USMISSION",
    "US MISSION",
    "MISSION",
    "USOFFICE",
    "USLO",
    "USINT",
    "AMEMB",
    "AMCONGEN",
)

# Codes of posts renamed or folded into another code (same display name).
_LEGACY_CODES = frozenset(
    {"KIEV", "CALCUTTA", "MADRAS", "WASHDC", "TAIPEI", "RPODUBAI", "UNESCOPARIS", "PARISFR"}
)

_NAMES: dict[str, str] = {}
_COUNTRIES: dict[str, str | None] = {}
_ALIASES: dict[str, str] = {}  # spelling without spaces/punctuation -> code

_SQUASH_RE = re.compile(r"[^A-Z0-9]+")


def _squash(text: str) -> str:
    return _SQUASH_RE.sub("", text.upper())


def _load() -> None:
    for line in _TABLE.strip().splitlines():
        code, name, country, aliases = line.split("|")
        if name.startswith("E "):
            name = "Embassy " + name[2:]
        elif name.startswith("C "):
            name = "Consulate " + name[2:]
        _NAMES[code] = name
        _COUNTRIES[code] = country or None
        _ALIASES.setdefault(code, code)
        for alias in filter(None, aliases.split(";")):
            _ALIASES.setdefault(_squash(alias), code)
    for line in _MORE_SPELLINGS.strip().splitlines():
        code, aliases = line.split("|")
        for alias in filter(None, aliases.split(";")):
            _ALIASES.setdefault(_squash(alias), code)
    # the display names are spellings too ("Embassy Ottawa", "Consulate Sao Paulo");
    # current codes win over legacy ones sharing a name (KYIV over KIEV)
    for code, name in sorted(_NAMES.items(), key=lambda item: item[0] in _LEGACY_CODES):
        _ALIASES.setdefault(_squash(name), code)
        for prefix in ("Embassy ", "Consulate "):
            if name.startswith(prefix):
                _ALIASES.setdefault(_squash(name[len(prefix) :]), code)


_load()

STATION_CODES: frozenset[str] = frozenset(_NAMES)
_PREFIX_RE = re.compile(
    r"^(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in _PREFIXES) + r")\s+"
)
_SUFFIX_RE = re.compile(r"\s+(?:IMMEDIATE|PRIORITY|ROUTINE|FLASH|NIACT)\b.*$")


def resolve_code(code: str) -> str | None:
    """A station code as found in an id (maybe garbled, ``EFTO`` glued) -> canonical."""
    code = code.upper()
    if code in _NAMES:
        return code
    if code in GARBLED_CODES:
        return GARBLED_CODES[code]
    if code.startswith("EFTO") and code[4:] in _NAMES:
        return code[4:]
    return _ALIASES.get(code)


def station_from_text(text: str | None) -> str | None:
    """Canonical station code for a spelling: ``"AMEMBASSY SAN JOSE"`` -> ``"SANJOSE"``,
    ``"SECSTATE WASHDC"`` -> ``"STATE"``, ``"Embassy Ottawa"`` -> ``"OTTAWA"``,
    ``"USMISSION USUN NEW YORK"`` -> ``"USUNNEWYORK"``; ``None`` when unknown."""
    if not text:
        return None
    upper = " ".join(text.upper().split())
    if not upper or len(upper) > 80:
        return None
    upper = upper.strip(" ./,;:-")
    upper = _SUFFIX_RE.sub("", upper)
    if "/" in upper and not upper.startswith("A/"):
        # "RUEHC/SECSTATE WASHDC" routing indicator, "USDEL SECRETARY//EUROPE//"
        head, _, tail = upper.partition("/")
        upper = tail if head.startswith("R") and " " not in head else head
        upper = upper.strip(" /")
    squashed = _squash(upper)
    code = _ALIASES.get(squashed) or resolve_code(squashed)
    if code:
        return code
    stripped = _PREFIX_RE.sub("", upper)
    if stripped != upper:
        squashed = _squash(stripped)
        code = _ALIASES.get(squashed) or resolve_code(squashed)
        if code:
            return code
    return None


def station_name(code: str | None) -> str | None:
    """Display name as the Cablegate site writes the origin: ``"Embassy Ottawa"``."""
    if not code:
        return None
    canonical = resolve_code(code)
    return _NAMES.get(canonical) if canonical else None


def station_country(code: str | None) -> str | None:
    """Two-letter TAGS country code of a station (``"CA"`` for OTTAWA), ``None`` for
    multilateral missions and unknown codes."""
    if not code:
        return None
    canonical = resolve_code(code)
    return _COUNTRIES.get(canonical) if canonical else None


def is_station(code: str) -> bool:
    return resolve_code(code) is not None


# ------------------------------------------------------------- REF spellings
# Words a post writes for its own cables ("EMBTEL 123", "OURTEL 456"): the citing post.
_SELF_WORDS = frozenset(
    {"EMBTEL", "EMBTELS", "OURTEL", "OURTELS", "MYTEL", "MYTELS", "CONGENTEL", "USMISSION"}
)
# Words that end a station lookback in a REF, and never are a station: these and the
# month words.
NOT_STATION_WORDS = MONTH_WORDS | frozenset(
    re.findall(
        r"[A-Z]+",
        """PARA PARAS PARAGRAPH PARAGRAPHS SECTION SECTIONS PAGE PAGES ITEM ITEMS NO NUMBER
    NOS TEL TELS AND OR OF THE AT ON IN TO FOR FROM BY DTG DATED CIRCULAR ALDAC NOTAL
    EXDIS NODIS LIMDIS TAB TABS ANNEX PART PARTS IIR REPORT LETTER EMAIL MAIL MEMO
    MEMCON TELCON TELECON CABLE CABLES MESSAGE MSG RES RESOLUTION UNSCR UNSC ARTICLE
    CHAPTER CASE FAM FAH USC CFR LAW PL ACT FY PHASE TDY ROUND VOLUME VOL TD""",
    )
)
_TRUNCATED_MIN = 5  # "VATICA" (old page headers cut station names to six letters)
_FUZZY_MIN = 6  # one letter wrong, missing, extra or swapped: "TRIPOLII", "SANSALVADR"
_DELETES: dict[str, set[str]] = {}
_PREFIXES_OF: dict[str, set[str]] = {}


def _build_fuzzy() -> None:
    spellings = {code: code for code in _NAMES if code not in _LEGACY_CODES}
    for alias, code in _ALIASES.items():
        spellings.setdefault(alias, code)
    for spelling, code in spellings.items():
        if len(spelling) < _FUZZY_MIN - 1 or not spelling.isalpha():
            continue
        _DELETES.setdefault(spelling, set()).add(code)
        for i in range(len(spelling)):
            _DELETES.setdefault(spelling[:i] + spelling[i + 1 :], set()).add(code)
    for code in _NAMES:
        if code in _LEGACY_CODES:
            continue
        for size in range(_TRUNCATED_MIN, len(code)):
            _PREFIXES_OF.setdefault(code[:size], set()).add(code)


_build_fuzzy()
# A spelling longer than this is no spelling of any station, nor one letter off one.
_LONGEST_SPELLING = max(map(len, [*_DELETES, *_PREFIXES_OF])) + 1


def ref_station_candidates(spelling: str) -> tuple[str, ...]:
    """Stations a REF spelling (letters only, upper case, spaces removed) may stand
    for, when it is no exact spelling: a truncated name (``VATICA``), one letter wrong,
    missing, extra or swapped (``TRIPOLII``, ``SANSALVADR``, ``SECSTAE``)."""
    if not _TRUNCATED_MIN <= len(spelling) <= _LONGEST_SPELLING or spelling in NOT_STATION_WORDS:
        return ()  # (a long word would cost one slice per letter: quadratic)
    found = set(_PREFIXES_OF.get(spelling, ()))
    if len(spelling) >= _FUZZY_MIN:
        found |= _DELETES.get(spelling, set())
        for i in range(len(spelling)):
            found |= _DELETES.get(spelling[:i] + spelling[i + 1 :], set())
    return tuple(sorted(found))


# Short forms a post writes for itself or a post of its own country ("07 TGG 1798" in a
# Tegucigalpa cable, "BSAS 1892", "KL 1016"): read as that station only when the citing
# post is it or shares its country; elsewhere they mean nothing.
_LOCAL_SHORT_FORMS = {
    "BA": "BUENOSAIRES",
    "BSAS": "BUENOSAIRES",
    "BAIRES": "BUENOSAIRES",
    "KL": "KUALALUMPUR",
    "TGG": "TEGUCIGALPA",
    "TEGU": "TEGUCIGALPA",
    "CASA": "CASABLANCA",
    "VAT": "VATICAN",
    "SP": "SAOPAULO",
    "SAO": "SAOPAULO",
    "RIO": "RIODEJANEIRO",
    "RDJ": "RIODEJANEIRO",
    "PAP": "PORTAUPRINCE",
    "POS": "PORTOFSPAIN",
    "HCMC": "HOCHIMINHCITY",
    "HCM": "HOCHIMINHCITY",
    "SD": "SANTODOMINGO",
    "SDOMINGO": "SANTODOMINGO",
    "DAR": "DARESSALAAM",
    "ADDIS": "ADDISABABA",
    "ABUDABI": "ABUDHABI",
    "JLM": "JERUSALEM",
    "TLV": "TELAVIV",
    "SANSAL": "SANSALVADOR",
    "GUAT": "GUATEMALA",
    "MTY": "MONTERREY",
    "GDL": "GUADALAJARA",
    "JAK": "JAKARTA",
    "USUN": "USUNNEWYORK",
}
# ... and these read so anywhere.
_GLOBAL_SHORT_FORMS = frozenset({"RIO", "ADDIS", "HCMC", "BSAS", "SDOMINGO", "ABUDABI", "USUN"})


def ref_station(spelling: str, citing: str | None = None) -> str | None:
    """Canonical station for an exact REF spelling (letters only, upper case, spaces
    removed): a code, an alias, a banner/FM spelling (``AMEMBASSYLIMA``), ``DEPTEL``
    (the Department), or a post's word for its own cables (``EMBTEL``: ``citing``)."""
    if spelling in _SELF_WORDS:
        return citing
    if spelling in NOT_STATION_WORDS:
        return None
    code = resolve_code(spelling)
    if code:
        return "UNESCOPARISFR" if code == "UNESCOPARIS" else code
    short = _LOCAL_SHORT_FORMS.get(spelling)
    if short and (
        spelling in _GLOBAL_SHORT_FORMS
        or citing == short
        or (citing and _COUNTRIES.get(short) and _COUNTRIES.get(citing) == _COUNTRIES[short])
    ):
        return short
    for prefix in ("AMEMBASSY", "AMCONSUL", "AMCONGEN", "USMISSION", "EMBASSY", "CONSULATE"):
        if spelling.startswith(prefix) and len(spelling) > len(prefix):
            return resolve_code(spelling[len(prefix) :])
    return None
