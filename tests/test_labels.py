from pipeline.labels import INTENT_INDEX, INTENTS, SCENARIOS, scenario_of


def test_sixty_intents_in_alphabetical_order_without_repeats():
    assert len(INTENTS) == 60
    assert list(INTENTS) == sorted(INTENTS)
    assert len(set(INTENTS)) == 60
    assert INTENT_INDEX["alarm_query"] == 0 and INTENT_INDEX["weather_query"] == 59


def test_eighteen_scenarios_from_the_prefix_before_the_first_underscore():
    assert len(SCENARIOS) == 18
    assert scenario_of("iot_hue_lightchange") == "iot"
    assert scenario_of("audio_volume_mute") == "audio"
    assert {"alarm", "qa", "transport", "weather", "recommendation"} <= set(SCENARIOS)
