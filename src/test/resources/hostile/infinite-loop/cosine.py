"""Hostile submission: never ends."""

if __name__ == "__main__":
    print("looping for ever", flush=True)
    while True:
        pass
