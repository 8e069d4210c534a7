"""The 60 MASSIVE intents and their 18 scenarios, fixed in code.

The label list is never derived from data: a hard split may miss a rare intent, and a model's output
index must mean the same intent in every config, experiment and checkpoint.
"""

from __future__ import annotations

INTENTS: tuple[str, ...] = (
    "alarm_query", "alarm_remove", "alarm_set",
    "audio_volume_down", "audio_volume_mute", "audio_volume_other", "audio_volume_up",
    "calendar_query", "calendar_remove", "calendar_set",
    "cooking_query", "cooking_recipe",
    "datetime_convert", "datetime_query",
    "email_addcontact", "email_query", "email_querycontact", "email_sendemail",
    "general_greet", "general_joke", "general_quirky",
    "iot_cleaning", "iot_coffee", "iot_hue_lightchange", "iot_hue_lightdim", "iot_hue_lightoff",
    "iot_hue_lighton", "iot_hue_lightup", "iot_wemo_off", "iot_wemo_on",
    "lists_createoradd", "lists_query", "lists_remove",
    "music_dislikeness", "music_likeness", "music_query", "music_settings",
    "news_query",
    "play_audiobook", "play_game", "play_music", "play_podcasts", "play_radio",
    "qa_currency", "qa_definition", "qa_factoid", "qa_maths", "qa_stock",
    "recommendation_events", "recommendation_locations", "recommendation_movies",
    "social_post", "social_query",
    "takeaway_order", "takeaway_query",
    "transport_query", "transport_taxi", "transport_ticket", "transport_traffic",
    "weather_query",
)  # fmt: skip


def scenario_of(intent: str) -> str:
    """The scenario is the part before the first `_` (MASSIVE's naming rule)."""
    return intent.split("_", 1)[0]


SCENARIOS: tuple[str, ...] = tuple(sorted({scenario_of(i) for i in INTENTS}))
INTENT_INDEX: dict[str, int] = {name: i for i, name in enumerate(INTENTS)}
