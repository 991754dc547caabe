"""The operators' HTTP API: one Lambda behind an HTTP API whose Lambda authorizer takes API keys
and the tokens of a Cognito user pool with three app clients: one for people (user name and
password, or SRP), one for the console in the browser (the hosted UI, code flow with PKCE) and
one for machines (OAuth client credentials). A user's role is its group (docs/accounts.md);
sign-ins are kept in the audit trail. The documentation is public."""

from __future__ import annotations

from typing import Any

from aws_cdk import Aws, Duration, RemovalPolicy, Stack
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_apigatewayv2_authorizers as authorizers
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_cognito as cognito
from constructs import Construct

from infra.access_logs import log_access
from infra.config import StackConfig
from infra.functions import Functions
from infra.nag import acknowledge
from shared.domain.accounts import OPERATOR_ROLES
from shared.manifest import (
    OCPI,
    OCPI_PATH,
    OCPP_SOAP,
    OPERATOR_API,
    OPERATOR_API_PUBLIC_PATHS,
    OPERATOR_AUTHORIZER,
    PAY_ROUTES,
    SIGN_INS,
    SOAP_15_PATH,
    UPLOAD_METHODS,
    UPLOAD_PATH,
    UPLOADS,
)
from shared.services.accounts.principals import PLATFORM_ADMIN_GROUP

RESOURCE_SERVER = "csms"
SCOPE = "operate"  # machines ask for csms/operate, which is the operator role
# API Gateway keeps the authorizer's answer this long per Authorization header: the bound on how
# long a revoked or expired key (or an expired token) is still let in.
AUTHORIZER_CACHE = Duration.seconds(60)

# Twelve characters at least, of every kind (stated, not left to Cognito's defaults).
PASSWORD_POLICY = cognito.PasswordPolicy(
    min_length=12, require_lowercase=True, require_uppercase=True, require_digits=True, require_symbols=True
)

ACCESS_LOG_FORMAT = {
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "requestTime": "$context.requestTime",
    "method": "$context.httpMethod",
    "path": "$context.path",
    "status": "$context.status",
    "latencyMs": "$context.responseLatency",
    "principal": "$context.authorizer.principal",
    "role": "$context.authorizer.role",
    "authorizerError": "$context.authorizer.error",
    "integrationError": "$context.integrationErrorMessage",
}


class OperatorApi(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StackConfig,
        functions: Functions,
        console_url: str,
        console_origin: str,
        driver_url: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self.user_pool = cognito.UserPool(
            self,
            "Operators",
            self_sign_up_enabled=False,
            sign_in_aliases=cognito.SignInAliases(username=True, email=True),
            password_policy=PASSWORD_POLICY,
            mfa=cognito.Mfa.REQUIRED if config.mfa_required else cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(sms=False, otp=True),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            custom_attributes={"tenantId": cognito.StringAttribute(min_len=1, max_len=32, mutable=True)},
            removal_policy=RemovalPolicy.RETAIN,
        )
        for group in (*(role.value for role in OPERATOR_ROLES), PLATFORM_ADMIN_GROUP):
            cognito.CfnUserPoolGroup(
                self, f"Group-{group}", user_pool_id=self.user_pool.user_pool_id, group_name=group
            )
        self.user_pool.add_trigger(cognito.UserPoolOperation.POST_AUTHENTICATION, functions[SIGN_INS])
        domain_prefix = config.auth_domain_prefix or f"{_prefix(scope)}-{Aws.ACCOUNT_ID}"
        self.domain = self.user_pool.add_domain(
            "Domain", cognito_domain=cognito.CognitoDomainOptions(domain_prefix=domain_prefix)
        )
        operate = cognito.ResourceServerScope(scope_name=SCOPE, scope_description="Operate the CSMS")
        server = self.user_pool.add_resource_server("Api", identifier=RESOURCE_SERVER, scopes=[operate])
        self.people = self.user_pool.add_client(
            "People",
            auth_flows=cognito.AuthFlow(user_password=True, user_srp=True),
            generate_secret=False,
            disable_o_auth=True,
            access_token_validity=Duration.hours(1),
            id_token_validity=Duration.hours(1),
            prevent_user_existence_errors=True,
        )
        self.machines = self.user_pool.add_client(
            "Machines",
            generate_secret=True,
            o_auth=cognito.OAuthSettings(
                flows=cognito.OAuthFlows(client_credentials=True),
                scopes=[cognito.OAuthScope.resource_server(server, operate)],
            ),
            access_token_validity=Duration.hours(1),
        )
        self.console = _pages_client(self.user_pool, "Console", console_url, Duration.hours(12))
        clients = [self.people, self.machines, self.console]
        self._drivers(f"{domain_prefix}-drivers", driver_url, config)
        for pool in (self.user_pool, self.drivers_pool):
            _acknowledge_pool(pool, config)
        resolver = functions[OPERATOR_AUTHORIZER]
        resolver.add_environment("CSMS_USER_POOL_ID", self.user_pool.user_pool_id)
        resolver.add_environment(
            "CSMS_USER_POOL_CLIENTS", ",".join(client.user_pool_client_id for client in clients)
        )
        resolver.add_environment("CSMS_DRIVERS_POOL_ID", self.drivers_pool.user_pool_id)
        resolver.add_environment("CSMS_DRIVERS_POOL_CLIENTS", self.drivers_client.user_pool_client_id)
        authorizer = authorizers.HttpLambdaAuthorizer(
            "Callers",
            resolver,
            response_types=[authorizers.HttpLambdaResponseType.SIMPLE],
            identity_source=["$request.header.Authorization"],
            results_cache_ttl=AUTHORIZER_CACHE,
        )
        # The console calls the API from its own origin; "*" (the default) already lets it.
        origins = list(config.cors_origins)
        if "*" not in origins:
            origins.append(console_origin)
        integration = integrations.HttpLambdaIntegration("Handler", functions[OPERATOR_API])
        self.api = apigwv2.HttpApi(
            self,
            "Api",
            description="The CSMS operator API",
            create_default_stage=False,
            default_integration=integration,
            default_authorizer=authorizer,
            cors_preflight=apigwv2.CorsPreflightOptions(
                allow_origins=origins,
                allow_methods=[apigwv2.CorsHttpMethod.ANY],
                allow_headers=["Authorization", "Content-Type"],
                # A receipt's file name, which the drivers' pages save it under.
                expose_headers=["Content-Disposition"],
                max_age=Duration.hours(1),
            ),
        )
        for path in sorted(OPERATOR_API_PUBLIC_PATHS):
            for route in self.api.add_routes(
                path=path,
                methods=[apigwv2.HttpMethod.GET],
                integration=integration,
                authorizer=apigwv2.HttpNoneAuthorizer(),
            ):
                acknowledge(
                    route,
                    "The API's documentation (Swagger UI, OpenAPI) is public by design",
                    "AwsSolutions-APIG4",
                )
        # The ad hoc pay page: a driver with no contract and no account pays there (AFIR Art. 5).
        for method, path in PAY_ROUTES:
            for route in self.api.add_routes(
                path=path,
                methods=[apigwv2.HttpMethod(method)],
                integration=integration,
                authorizer=apigwv2.HttpNoneAuthorizer(),
            ):
                acknowledge(
                    route,
                    "The public pay page is public: ad hoc charging is paid without a contract or an "
                    "account (AFIR Art. 5); the card is the provider's token, the hold its limit",
                    "AwsSolutions-APIG4",
                )
        # Charge points upload files here: the single-use token in the path is the credential.
        uploads = integrations.HttpLambdaIntegration("Uploads", functions[UPLOADS])
        for path in (f"{UPLOAD_PATH}/{{token}}", f"{UPLOAD_PATH}/{{token}}/{{name}}"):
            for route in self.api.add_routes(
                path=path,
                methods=[apigwv2.HttpMethod(method) for method in UPLOAD_METHODS],
                integration=uploads,
                authorizer=apigwv2.HttpNoneAuthorizer(),
            ):
                acknowledge(
                    route,
                    "Charge points upload with the single-use, expiring token in the path, which the "
                    "function checks: they hold no other credential for the API",
                    "AwsSolutions-APIG4",
                )
        # OCPP 1.5 stations POST SOAP envelopes here: the function admits each by its
        # chargeBoxIdentity header, as the WebSocket authorizer does a handshake.
        for route in self.api.add_routes(
            path=SOAP_15_PATH,
            methods=[apigwv2.HttpMethod.POST],
            integration=integrations.HttpLambdaIntegration("OcppSoap", functions[OCPP_SOAP]),
            authorizer=apigwv2.HttpNoneAuthorizer(),
        ):
            acknowledge(
                route,
                "OCPP 1.5 charge points hold no operator credential: the function admits each "
                "envelope by its chargeBoxIdentity header (registration, blocking, and HTTP Basic "
                "where a password is set), as the WebSocket authorizer admits a handshake",
                "AwsSolutions-APIG4",
            )
        # Roaming partners call the OCPI interface here: the function admits each call by the
        # partner's OCPI token (shared/services/roaming/credentials.py).
        for route in self.api.add_routes(
            path=f"{OCPI_PATH}/{{proxy+}}",
            methods=[apigwv2.HttpMethod.ANY],
            integration=integrations.HttpLambdaIntegration("Ocpi", functions[OCPI]),
            authorizer=apigwv2.HttpNoneAuthorizer(),
        ):
            acknowledge(route, "OCPI routes are authorized by their own token", "AwsSolutions-APIG4")
        self.stage = apigwv2.HttpStage(
            self,
            "Stage",
            http_api=self.api,
            stage_name="$default",
            auto_deploy=True,
            throttle=apigwv2.ThrottleSettings(
                rate_limit=config.api_rate_limit, burst_limit=config.api_burst_limit
            ),
        )
        log_access(self, self.stage, config, ACCESS_LOG_FORMAT)

    def _drivers(self, domain_prefix: str, driver_url: str, config: StackConfig) -> None:
        """The drivers' own pool: anyone signs up with an email address (verified), in the
        default tenant; an operator moves a driver to its tenant by setting `custom:tenantId`,
        which the drivers' app client can read but not write. The drivers' pages sign in through
        its hosted UI (code flow with PKCE, a public client)."""
        self.drivers_pool = cognito.UserPool(
            self,
            "Drivers",
            self_sign_up_enabled=True,
            sign_in_aliases=cognito.SignInAliases(email=True),
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            password_policy=PASSWORD_POLICY,
            mfa=cognito.Mfa.REQUIRED if config.mfa_required else cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(sms=False, otp=True),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            custom_attributes={"tenantId": cognito.StringAttribute(min_len=1, max_len=32, mutable=True)},
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.drivers_domain = self.drivers_pool.add_domain(
            "DriversDomain",
            cognito_domain=cognito.CognitoDomainOptions(domain_prefix=domain_prefix),
        )
        self.drivers_client = _pages_client(
            self.drivers_pool,
            "DriverPages",
            driver_url,
            Duration.days(30),
            read_attributes=cognito.ClientAttributes()
            .with_standard_attributes(email=True, fullname=True, email_verified=True)
            .with_custom_attributes("tenantId"),
            write_attributes=cognito.ClientAttributes().with_standard_attributes(email=True, fullname=True),
        )

    @property
    def url(self) -> str:
        return self.stage.url

    @property
    def token_url(self) -> str:
        return f"{self.domain.base_url()}/oauth2/token"


def _acknowledge_pool(pool: cognito.UserPool, config: StackConfig) -> None:
    acknowledge(
        pool,
        "The Plus feature plan (threat protection) bills every monthly active user; the pool has "
        "a 12-character policy of every kind, TOTP MFA and the audit trail of sign-ins",
        "AwsSolutions-COG8",
    )
    if not config.mfa_required:
        acknowledge(
            pool,
            "TOTP MFA is optional by default, so a first deploy's users can sign in before enrolling "
            "a device; -c mfaRequired=true requires it in both pools",
            "AwsSolutions-COG2",
        )


def _pages_client(
    pool: cognito.UserPool, name: str, url: str, refresh: Duration, **more: Any
) -> cognito.UserPoolClient:
    """Pages in the browser (the console, the drivers' pages): the hosted UI's authorization code
    flow with PKCE (a public client, no secret), back to the pages' own address."""
    return pool.add_client(
        name,
        generate_secret=False,
        o_auth=cognito.OAuthSettings(
            flows=cognito.OAuthFlows(authorization_code_grant=True),
            scopes=[cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
            callback_urls=[url],
            logout_urls=[url],
        ),
        supported_identity_providers=[cognito.UserPoolClientIdentityProvider.COGNITO],
        access_token_validity=Duration.hours(1),
        id_token_validity=Duration.hours(1),
        refresh_token_validity=refresh,
        prevent_user_existence_errors=True,
        **more,
    )


def _prefix(scope: Construct) -> str:
    return Stack.of(scope).stack_name.lower()
