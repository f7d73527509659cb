print("Hello from a Python app running on Alpine!")
