#!/usr/bin/env bash
# Deploy template.yaml to LocalStack with samlocal, beside compose.yaml's PostgreSQL, Redis and
# Kafka. Prerequisites (localstack/README.md): Docker, LOCALSTACK_AUTH_TOKEN, and
#   pip install awscli-local aws-sam-cli-local   (awslocal, samlocal; they wrap aws and sam)
# Re-running it updates the stack. The bridge (localstack/bridge.py) then feeds Kafka to the
# consumer functions, since LocalStack's free plan has no Kafka event source mappings.
set -euo pipefail
cd "$(dirname "$0")/.."

STACK=${STACK:-lunch-local}
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-eu-central-1}
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-test} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-test}
step() { printf '\n▸ %s\n' "$*"; }

for tool in docker awslocal samlocal; do
  command -v "$tool" >/dev/null || { echo "✗ $tool is not installed (localstack/README.md, step 1)"; exit 1; }
done
: "${LOCALSTACK_AUTH_TOKEN:?set LOCALSTACK_AUTH_TOKEN: LocalStack needs it since March 2026}"

step "starting LocalStack, PostgreSQL, Redis and Kafka"
docker compose -f localstack/compose.yaml up -d --wait

step "waiting for LocalStack"
until curl -fs http://localhost:4566/_localstack/health >/dev/null; do sleep 2; done

step "secrets (SSM Parameter Store and Secrets Manager)"
put() { awslocal ssm put-parameter --overwrite --type SecureString --name "$1" --value "$2" >/dev/null; }
put /lunch/local/telegram-bot-token "${TELEGRAM_BOT_TOKEN:-1000000001:LOCALSTACK-placeholder-token}"
put /lunch/local/telegram-webhook-secret "${TELEGRAM_WEBHOOK_SECRET:-$(openssl rand -hex 24)}"
put /lunch/local/jwt-secret "${JWT_SECRET:-$(openssl rand -hex 32)}"
put /lunch/local/gemini-api-keys "${GEMINI_API_KEYS:-none}"
DB_SECRET='{"username":"lunch","password":"lunch-local-password","host":"postgres","port":5432,"dbname":"lunch"}'
DB_SECRET_ARN=$(awslocal secretsmanager describe-secret --secret-id lunch-local-db --query ARN --output text 2>/dev/null \
  || awslocal secretsmanager create-secret --name lunch-local-db --secret-string "$DB_SECRET" --query ARN --output text)

step "network (LocalStack's default VPC)"
SUBNETS=$(awslocal ec2 describe-subnets --query 'Subnets[0:2].SubnetId' --output text | tr '\t' ',')
SECURITY_GROUP=$(awslocal ec2 describe-security-groups --group-names default --query 'SecurityGroups[0].GroupId' --output text)

step "sam build (in source, both architectures' layers; no Docker needed)"
samlocal build --config-env localstack

step "samlocal deploy (migrations run in the deploy, through the migrate function)"
samlocal deploy --config-env localstack --stack-name "$STACK" --no-fail-on-empty-changeset \
  --parameter-overrides \
    Stage=dev \
    "PrivateSubnetIds=$SUBNETS" "FunctionSecurityGroupId=$SECURITY_GROUP" \
    "DatabaseSecretArn=$DB_SECRET_ARN" DatabaseHost=postgres DatabaseSslMode=disable \
    RedisUrl=redis://redis:6379/0 \
    KafkaMode=self-managed MskClusterArn=none KafkaTriggers=external-bridge \
    KafkaBootstrapServers=kafka:19092 KafkaSecurityProtocol=PLAINTEXT \
    TelegramBotTokenParameter=/lunch/local/telegram-bot-token \
    TelegramWebhookSecretParameter=/lunch/local/telegram-webhook-secret \
    JwtSecretParameter=/lunch/local/jwt-secret \
    GeminiApiKeysParameter=/lunch/local/gemini-api-keys

step "outputs"
awslocal cloudformation describe-stacks --stack-name "$STACK" \
  --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output table

cat <<DONE

Next: feed Kafka to the consumers (keep it running in another terminal):
  KAFKA_BOOTSTRAP_SERVERS=localhost:9092 uv run python localstack/bridge.py --stack $STACK
DONE
