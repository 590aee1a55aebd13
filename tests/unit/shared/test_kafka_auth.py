"""How our Kafka clients sign in: plain locally, MSK's IAM sign-in when deployed on MSK."""

import base64
from urllib.parse import parse_qs, urlsplit

import pytest
from aiokafka import AIOKafkaProducer

from shared.kit.kafka import MskIamTokenProvider, connection_options
from shared.kit.settings import Settings


def test_locally_the_broker_is_plain_text() -> None:
    options = connection_options(Settings(_env_file=None, kafka_bootstrap_servers="127.0.0.1:9"))
    assert options == {"bootstrap_servers": "127.0.0.1:9", "security_protocol": "PLAINTEXT"}


def test_on_msk_the_clients_sign_in_with_iam_over_tls() -> None:
    settings = Settings(
        _env_file=None,
        kafka_bootstrap_servers="b-1.lunch.kafka-serverless.eu-central-1.amazonaws.com:9098",
        kafka_auth="msk-iam",
        aws_region="eu-central-1",
    )
    options = connection_options(settings)
    assert options["security_protocol"] == "SASL_SSL"
    assert options["sasl_mechanism"] == "OAUTHBEARER"
    assert isinstance(options["sasl_oauth_token_provider"], MskIamTokenProvider)
    assert options["ssl_context"] is not None


async def test_the_token_is_a_signed_kafka_connect_request_for_the_region(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Signing happens locally with the process's credentials; no request leaves the machine.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)

    token = await MskIamTokenProvider("eu-central-1").token()

    padded = token + "=" * (-len(token) % 4)
    url = urlsplit(base64.urlsafe_b64decode(padded).decode())
    query = parse_qs(url.query)
    assert url.hostname == "kafka.eu-central-1.amazonaws.com"
    assert query["Action"] == ["kafka-cluster:Connect"]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert "/eu-central-1/kafka-cluster/" in query["X-Amz-Credential"][0]
    assert query["X-Amz-Signature"][0]


async def test_on_self_managed_kafka_the_clients_sign_in_with_scram_over_tls() -> None:
    # Given the template's default for self-managed Kafka: SASL_SSL with a SCRAM secret
    settings = Settings(
        _env_file=None,
        kafka_bootstrap_servers="kafka-1.internal:9096",
        kafka_security_protocol="SASL_SSL",
        kafka_auth="scram-sha-512",
        kafka_sasl_username="lunch",
        kafka_sasl_password="scram-password",
    )

    # When a producer is made from our options (aiokafka checks them in its constructor)
    options = connection_options(settings)
    producer = AIOKafkaProducer(**options)

    # Then it signs in with SCRAM-SHA-512 over TLS, with the secret's credentials
    assert producer.client._sasl_mechanism == "SCRAM-SHA-512"
    assert producer.client._security_protocol == "SASL_SSL"
    assert options["sasl_plain_username"] == "lunch"
    assert options["sasl_plain_password"] == "scram-password"
    assert options["ssl_context"] is not None


def test_scram_without_credentials_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="KAFKA_SASL_USERNAME"):
        Settings(_env_file=None, kafka_security_protocol="SASL_SSL", kafka_auth="scram-sha-512")
