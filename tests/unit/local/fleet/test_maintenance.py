from local.fleet.maintenance import Failures, firmware_image, image_version


def test_an_image_names_its_version_and_a_damaged_one_is_caught():
    image = firmware_image("fleet-2.0", 4096)
    assert image_version(image) == "fleet-2.0"
    assert image_version(image[:-1]) is None  # truncated
    assert image_version(image[:100] + b"X" + image[101:]) is None  # altered
    assert image_version(b"") is None


def test_failures_are_drawn_from_the_seed_at_the_share_asked():
    failures = Failures(firmware_chance=0.3, upload_chance=0.0)
    drawn = [failures.firmware(7, f"station-{i}", 1) for i in range(1000)]
    assert drawn == [failures.firmware(7, f"station-{i}", 1) for i in range(1000)]
    share = sum(d is not None for d in drawn) / 1000
    assert 0.25 < share < 0.35 and {"download", "install"} <= set(drawn)
    assert not any(failures.upload(7, f"station-{i}", 1) for i in range(100))
    assert all(Failures(upload_chance=1.0).upload(7, f"station-{i}", 1) for i in range(100))
