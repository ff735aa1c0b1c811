print("ngrokctl")
