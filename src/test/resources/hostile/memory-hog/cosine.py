"""Hostile submission: allocates and touches 2 GiB, four times the run's memory."""

if __name__ == "__main__":
    hog = bytearray(2 * 1024 * 1024 * 1024)
    print("allocated", len(hog))
