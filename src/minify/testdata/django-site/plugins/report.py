def render():
    return "REPORT PLUGIN"
