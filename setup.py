from setuptools import find_packages, setup

setup(
    name="fakeredis",
    version="0.1.0",
    description="A Redis 7 server simulated in memory, for testing code that uses Redis",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    python_requires=">=3.10",
    packages=find_packages(include=["fakeredis", "fakeredis.*"]),
    package_data={"fakeredis": ["py.typed", "scripting/*.lua"]},
    install_requires=["redis>=5.3", "sortedcontainers>=2,<3", "lupa>=2"],
    extras_require={
        "test": [
            "pytest>=7", "hypothesis>=6", "time-machine>=2", "freezegun>=1",
            # libraries built on redis-py that the integration tests run unchanged
            "python-redis-lock>=4", "limits>=3", "rq>=1.15",
        ],
    },
    entry_points={
        "console_scripts": ["fakeredis-server = fakeredis.__main__:main"],
        "pytest11": ["fakeredis = fakeredis.pytest_plugin"],
    },
    classifiers=[
        "Programming Language :: Python :: 3",
        "Framework :: Pytest",
        "Topic :: Software Development :: Testing",
    ],
)
