import events

# not an event of the catalog
events.capture("an event of another catalog", properties={"x": 1})
