"""Stations of Cablegate that the 5,811 template cables do not cover.

For these the banner spelling, FM line and origin cannot be learned from the templates,
so they are written down here: code -> (banner spelling, FM line, origin as the site
writes it). Only stations with at least 20 cables in Cablegate are listed; rarer and
garbled codes ("BRUSSQLS", "EFTOATHENS") are not sampled.
"""

from __future__ import annotations

_E, _C = "AMEMBASSY", "AMCONSUL"

# code: (banner spelling, FM sender kind or full FM line, origin)
_TABLE: dict[str, tuple[str, str, str]] = {
    "MANILA": ("MANILA", _E, "Embassy Manila"),
    "KINGSTON": ("KINGSTON", _E, "Embassy Kingston"),
    "HONGKONG": ("HONG KONG", _C, "Consulate Hong Kong"),
    "NDJAMENA": ("NDJAMENA", _E, "Embassy Ndjamena"),
    "NICOSIA": ("NICOSIA", _E, "Embassy Nicosia"),
    "HOCHIMINHCITY": ("HO CHI MINH CITY", _C, "Consulate Ho Chi Minh City"),
    "PHNOMPENH": ("PHNOM PENH", _E, "Embassy Phnom Penh"),
    "GUANGZHOU": ("GUANGZHOU", _C, "Consulate Guangzhou"),
    "MASERU": ("MASERU", _E, "Embassy Maseru"),
    "ANTANANARIVO": ("ANTANANARIVO", _E, "Embassy Antananarivo"),
    "NOUAKCHOTT": ("NOUAKCHOTT", _E, "Embassy Nouakchott"),
    "NIAMEY": ("NIAMEY", _E, "Embassy Niamey"),
    "ALMATY": ("ALMATY", _E, "Embassy Almaty"),
    "TIRANA": ("TIRANA", _E, "Embassy Tirana"),
    "GEORGETOWN": ("GEORGETOWN", _E, "Embassy Georgetown"),
    "SUVA": ("SUVA", _E, "Embassy Suva"),
    "DILI": ("DILI", _E, "Embassy Dili"),
    "COTONOU": ("COTONOU", _E, "Embassy Cotonou"),
    "USOSCE": ("USOSCE", "USMISSION USOSCE", "Mission USOSCE"),
    "FRANKFURT": ("FRANKFURT", _C, "Consulate Frankfurt"),
    "LUSAKA": ("LUSAKA", _E, "Embassy Lusaka"),
    "VIENTIANE": ("VIENTIANE", _E, "Embassy Vientiane"),
    "CHIANGMAI": ("CHIANG MAI", _C, "Consulate Chiang Mai"),
    "HILLAH": ("HILLAH", "REO HILLAH", "REO Hillah"),
    "KOLKATA": ("KOLKATA", _C, "Consulate Kolkata"),
    "CHENGDU": ("CHENGDU", _C, "Consulate Chengdu"),
    "LIBREVILLE": ("LIBREVILLE", _E, "Embassy Libreville"),
    "BELMOPAN": ("BELMOPAN", _E, "Embassy Belmopan"),
    "LUXEMBOURG": ("LUXEMBOURG", _E, "Embassy Luxembourg"),
    "SURABAYA": ("SURABAYA", _C, "Consulate Surabaya"),
    "PODGORICA": ("PODGORICA", _E, "Embassy Podgorica"),
    "USEUBRUSSELS": ("USEU BRUSSELS", "USEU BRUSSELS", "USEU Brussels"),
    "TORONTO": ("TORONTO", _C, "Consulate Toronto"),
    "WINDHOEK": ("WINDHOEK", _E, "Embassy Windhoek"),
    "KIRKUK": ("KIRKUK", "REO KIRKUK", "REO Kirkuk"),
    "HALIFAX": ("HALIFAX", _C, "Consulate Halifax"),
    "GRENADA": ("GRENADA", _E, "Embassy Grenada"),
    "KARACHI": ("KARACHI", _C, "Consulate Karachi"),
    "LOME": ("LOME", _E, "Embassy Lome"),
    "BANGUI": ("BANGUI", _E, "Embassy Bangui"),
    "NOGALES": ("NOGALES", _C, "Consulate Nogales"),
    "KOLONIA": ("KOLONIA", _E, "Embassy Kolonia"),
    "DUSSELDORF": ("DUSSELDORF", _C, "Consulate Dusseldorf"),
    "THESSALONIKI": ("THESSALONIKI", _C, "Consulate Thessaloniki"),
    "BRAZZAVILLE": ("BRAZZAVILLE", _E, "Embassy Brazzaville"),
    "PORTMORESBY": ("PORT MORESBY", _E, "Embassy Port Moresby"),
    "DURBAN": ("DURBAN", _C, "Consulate Durban"),
    "QUEBEC": ("QUEBEC", _C, "Consulate Quebec"),
    "MOSUL": ("MOSUL", "REO MOSUL", "REO Mosul"),
    "BELIZE": ("BELIZE", _E, "Embassy Belize"),
    "PRAIA": ("PRAIA", _E, "Embassy Praia"),
    "STPETERSBURG": ("ST PETERSBURG", _C, "Consulate St Petersburg"),
    "VANCOUVER": ("VANCOUVER", _C, "Consulate Vancouver"),
    "OSAKAKOBE": ("OSAKA KOBE", _C, "Consulate Osaka Kobe"),
    "JOHANNESBURG": ("JOHANNESBURG", _C, "Consulate Johannesburg"),
    "NAHA": ("NAHA", _C, "Consulate Naha"),
    "GUAYAQUIL": ("GUAYAQUIL", _C, "Consulate Guayaquil"),
    "DHAHRAN": ("DHAHRAN", _C, "Consulate Dhahran"),
    "YEKATERINBURG": ("YEKATERINBURG", _C, "Consulate Yekaterinburg"),
    "HAMILTON": ("HAMILTON", _C, "Consulate Hamilton"),
    "MOGADISHU": ("MOGADISHU", _E, "Embassy Mogadishu"),
}


def fallback(code: str) -> tuple[str, str, str] | None:
    """(banner spelling, FM line, origin) of a station the templates do not cover."""
    entry = _TABLE.get(code)
    if entry is None:
        return None
    spelling, fm, origin = entry
    if fm in (_E, _C):
        fm = f"{fm} {spelling}"
    return spelling, fm, origin
