package io.backprop.identity;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Tenants and API keys; admin keys only. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Tenants", description = "Tenants, their quotas and API keys (admin role)")
class TenantController {

    private final TenantService service;

    TenantController(TenantService service) {
        this.service = service;
    }

    record TenantRequest(String name, Quotas quotas) {
    }

    record TenantResponse(UUID id, String name, Quotas quotas, Instant createdAt) {
        static TenantResponse of(Tenant t) {
            return new TenantResponse(t.id(), t.name(), t.quotas(), t.createdAt());
        }
    }

    record KeyRequest(String name, String role, Instant expiresAt) {
    }

    record KeyCreated(UUID id, String key, String prefix, String role) {
    }

    record KeyView(UUID id, String name, String prefix, String role, Instant createdAt, Instant expiresAt,
                   Instant revokedAt, Instant lastUsedAt) {
        static KeyView of(ApiKey k) {
            return new KeyView(k.id(), k.name(), k.prefix(), k.role().wire(), k.createdAt(), k.expiresAt(),
                    k.revokedAt(), k.lastUsedAt());
        }
    }

    @Operation(summary = "Create a tenant with its quotas (absent quota: no limit)")
    @PostMapping(value = "/tenants", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<TenantResponse> create(@RequestBody TenantRequest request) {
        Tenant tenant = service.create(request.name(), request.quotas());
        return ResponseEntity.created(URI.create("/api/v1/tenants/" + tenant.id())).body(TenantResponse.of(tenant));
    }

    @Operation(summary = "Every tenant, oldest first")
    @GetMapping("/tenants")
    List<TenantResponse> list() {
        return service.list().stream().map(TenantResponse::of).toList();
    }

    @Operation(summary = "Create an API key for a tenant; the key appears in this answer only")
    @PostMapping(value = "/tenants/{id}/keys", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<KeyCreated> createKey(@PathVariable UUID id, @RequestBody KeyRequest request) {
        ApiKeys.Issued issued = service.issueKey(id, request.name(), request.role(), request.expiresAt());
        return ResponseEntity.status(201).body(new KeyCreated(issued.id(), issued.key(), issued.prefix(), issued.role().wire()));
    }

    @Operation(summary = "A tenant's keys, without their material")
    @GetMapping("/tenants/{id}/keys")
    List<KeyView> keys(@PathVariable UUID id) {
        return service.keys(id).stream().map(KeyView::of).toList();
    }

    @Operation(summary = "Revoke a key; effective on its next request")
    @DeleteMapping("/keys/{keyId}")
    ResponseEntity<Void> revoke(@PathVariable UUID keyId) {
        service.revokeKey(keyId);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "What a tenant uses now: queued and running runs, stored bytes")
    @GetMapping("/tenants/{id}/usage")
    TenantService.Usage usage(@PathVariable UUID id) {
        return service.usage(id);
    }
}
