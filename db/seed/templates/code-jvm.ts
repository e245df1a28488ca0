// Kotlin (Spring Boot / Ktor) and Java (Spring Boot) services.
import { added, hunk, hunkOf, modified } from './diff';
import { camel, pascal, snake } from './domain';
import type { Ctx, LangKit } from './kit';

const basePkg = (ctx: Ctx) => `com.acme.${snake(ctx.slug).replace(/_/g, '')}`;
const dir = (ctx: Ctx, lang: 'kotlin' | 'java', kind: 'main' | 'test') => `src/${kind}/${lang}/${basePkg(ctx).replace(/\./g, '/')}`;

export const kotlinKit: LangKit = {
  testPath: (ctx, name) => `${dir(ctx, 'kotlin', 'test')}/${ctx.profile.module}/${pascal(name)}Test.kt`,

  timeout(ctx, p) {
    return [modified(`${dir(ctx, 'kotlin', 'main')}/clients/${pascal(p.client)}Client.kt`, hunk(14, '', `
 import java.time.Duration

 // Budget for one call to ${p.client}; the edge gives the whole request ${p.edgeBudgetMs} ms.
-private val CALL_TIMEOUT: Duration = Duration.ofMillis(${p.from})
+private val CALL_TIMEOUT: Duration = Duration.ofMillis(${p.to})

 @Component
 class ${pascal(p.client)}Client(
`))];
  },

  retry(ctx, p) {
    const C = pascal(p.client);
    const files = [modified(`${dir(ctx, 'kotlin', 'main')}/clients/${C}Client.kt`, hunk(31, `class ${C}Client(`, `
     suspend fun ${p.op}(request: ${pascal(p.op)}Request): ${pascal(p.op)}Response =
-        webClient.post().uri("/v1/${snake(p.op).replace(/_/g, '-')}").bodyValue(request)
-            .retrieve().awaitBody()
+        retry.executeSuspendFunction {
+            webClient.post().uri("/v1/${snake(p.op).replace(/_/g, '-')}").bodyValue(request)
+                .retrieve().awaitBody()
+        }
+
+    // ${p.op} is idempotent on request.idempotencyKey; only 503s and connection resets are retried.
+    private val retry: Retry = Retry.of(
+        "${p.client}",
+        RetryConfig.custom<Any>()
+            .maxAttempts(${p.attempts})
+            .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(${p.baseDelayMs}), 2.0))
+            .retryOnException { it is WebClientResponseException.ServiceUnavailable || it is PrematureCloseException }
+            .build(),
+    )
`))];
    if (p.withTest) {
      files.push(modified(`${dir(ctx, 'kotlin', 'test')}/clients/${C}ClientTest.kt`, hunk(40, '', `
         assertEquals(expected, client.${p.op}(request))
     }
+
+    @Test
+    fun \`retries a 503 once and succeeds\`() = runTest {
+        server.enqueue(MockResponse().setResponseCode(503))
+        server.enqueue(MockResponse().setBody(fixture("${snake(p.op)}.json")).addHeader("Content-Type", "application/json"))
+        client.${p.op}(request)
+        assertEquals(2, server.requestCount)
+    }
 }
`)));
    }
    return files;
  },

  guard(ctx, p) {
    const e = camel(p.entity);
    const guard = [`        require(!${e}.${camel(p.field)}.isNullOrBlank()) { "${p.entity} \${${e}.id} has no ${p.field}" }`];
    const before = [`    fun process(${e}: ${p.entity}): ${p.entity}Result {`, `        log.debug("processing {}", ${e}.id)`];
    const after = [`        val enriched = enricher.enrich(${e})`, `        return repository.save(enriched).toResult()`];
    const path = `${dir(ctx, 'kotlin', 'main')}/${ctx.profile.module}/${p.entity}Service.kt`;
    return [modified(path, p.add ? hunkOf(38, `class ${p.entity}Service(`, before, [], guard, after) : hunkOf(38, `class ${p.entity}Service(`, before, guard, [], after))];
  },

  field(ctx, p) {
    const kt = p.type === 'number' ? 'Int' : p.type === 'boolean' ? 'Boolean' : p.type === 'date' ? 'Instant' : 'String';
    const f = camel(p.field);
    const files = [
      modified(`${dir(ctx, 'kotlin', 'main')}/${ctx.profile.module}/${p.entity}Dto.kt`, hunk(9, '', `
 data class ${p.entity}Dto(
     val id: String,
     val updatedAt: Instant,
+    val ${f}: ${kt}? = null,
 )
`)),
      modified(`${dir(ctx, 'kotlin', 'main')}/${ctx.profile.module}/${p.entity}Mapper.kt`, hunk(15, `fun ${p.entity}Entity.toDto() = ${p.entity}Dto(`, `
     id = id,
     updatedAt = updatedAt,
+    ${f} = ${f},
 )
`)),
    ];
    if (p.withTest) {
      files.push(modified(kotlinKit.testPath(ctx, `${p.entity}Mapper`), hunk(22, '', `
         assertEquals("${snake(p.entity)}-1", dto.id)
+        assertEquals(entity.${f}, dto.${f})
     }
`)));
    }
    return files;
  },

  bugfix(ctx, v) {
    const d = `${dir(ctx, 'kotlin', 'main')}/${ctx.profile.module}`;
    if (v === 'rounding') {
      return [
        modified(`${d}/Money.kt`, hunk(20, '', `
 fun Money.percentOff(percent: BigDecimal): Money =
-    Money(amount.multiply(ONE - percent.movePointLeft(2)).setScale(2, RoundingMode.HALF_UP), currency)
+    // Banker's rounding, as finance reconciles: HALF_UP overstated discounts by a penny on 1 in 200 lines.
+    Money(amount.multiply(ONE - percent.movePointLeft(2)).setScale(2, RoundingMode.HALF_EVEN), currency)
`)),
        modified(`${dir(ctx, 'kotlin', 'test')}/${ctx.profile.module}/MoneyTest.kt`, hunk(31, '', `
     }
+
+    @Test
+    fun \`percentOff rounds half to even\`() {
+        assertEquals(Money("2.12", GBP), Money("2.65", GBP).percentOff(BigDecimal(20)))
+    }
 }
`)),
      ];
    }
    if (v === 'pagination') {
      return [modified(`${d}/${ctx.profile.entity}Controller.kt`, hunk(44, '', `
         @RequestParam(defaultValue = "50") size: Int,
     ): Page<${ctx.profile.entity}Dto> =
-        service.list(PageRequest.of(page, size.coerceAtMost(200)))
+        service.list(PageRequest.of((page - 1).coerceAtLeast(0), size.coerceAtMost(200)))
`))];
    }
    return [modified(`${d}/BusinessCalendar.kt`, hunk(27, '', `
     fun dayOf(instant: Instant): LocalDate =
-        instant.atZone(ZoneOffset.UTC).toLocalDate()
+        instant.atZone(warehouseZone).toLocalDate()
`))];
  },

  metric(ctx, p) {
    return [modified(`${dir(ctx, 'kotlin', 'main')}/clients/${pascal(p.client)}Client.kt`, hunk(31, '', `
     suspend fun ${p.op}(request: ${pascal(p.op)}Request): ${pascal(p.op)}Response =
-        call(request)
+        meterRegistry.timer("${p.metric}", "op", "${p.op}").recordSuspend { call(request) }
`))];
  },

  refactor(ctx, p) {
    const d = `${dir(ctx, 'kotlin', 'main')}/${ctx.profile.module}`;
    return [
      modified(`${d}/${pascal(p.from)}.kt`, hunk(17, '', `
-    fun ${p.from}(id: String) {
+    fun ${p.to}(id: String) {
         val current = repository.findById(id) ?: return
`)),
      ...p.callers.map((c, i) => modified(`${dir(ctx, 'kotlin', 'main')}/${c.replace(/-/g, '')}.kt`, hunk(25 + i * 11, '', `
         events.forEach { event ->
-            service.${p.from}(event.id)
+            service.${p.to}(event.id)
         }
`))),
      modified(kotlinKit.testPath(ctx, p.from), hunk(20, '', `
     @Test
-    fun \`${p.from} is a no-op for unknown ids\`() {
-        service.${p.from}("missing")
+    fun \`${p.to} is a no-op for unknown ids\`() {
+        service.${p.to}("missing")
`)),
    ];
  },

  depBump(_ctx, d) {
    return [modified('gradle/libs.versions.toml', hunk(4, '[versions]', `
 kotlin = "2.0.21"
-${d.name} = "${d.from}"
+${d.name} = "${d.to}"
 ktlint = "1.4.1"
`))];
  },

  deps: [
    { name: 'spring-boot', from: '3.3.5', to: '3.3.7' },
    { name: 'jackson', from: '2.17.2', to: '2.18.2' },
    { name: 'resilience4j', from: '2.2.0', to: '2.3.0' },
    { name: 'testcontainers', from: '1.20.3', to: '1.20.4' },
    { name: 'kotlinx-coroutines', from: '1.9.0', to: '1.10.1' },
  ],
};

export const javaKit: LangKit = {
  testPath: (ctx, name) => `${dir(ctx, 'java', 'test')}/${ctx.profile.module}/${pascal(name)}Test.java`,

  timeout(ctx, p) {
    return [modified(`${dir(ctx, 'java', 'main')}/clients/${pascal(p.client)}Client.java`, hunk(18, `public class ${pascal(p.client)}Client {`, `

     // Budget for one call to ${p.client}; the edge gives the whole request ${p.edgeBudgetMs} ms.
-    private static final Duration CALL_TIMEOUT = Duration.ofMillis(${p.from});
+    private static final Duration CALL_TIMEOUT = Duration.ofMillis(${p.to});

     private final RestClient restClient;
`))];
  },

  retry(ctx, p) {
    const C = pascal(p.client);
    const R = pascal(p.op);
    const files = [modified(`${dir(ctx, 'java', 'main')}/clients/${C}Client.java`, hunk(40, '', `
-    public ${R}Response ${p.op}(${R}Request request) {
+    // ${p.op} is idempotent on request.idempotencyKey(): only 503s and I/O errors are retried.
+    @Retryable(
+        retryFor = {HttpServerErrorException.ServiceUnavailable.class, ResourceAccessException.class},
+        maxAttempts = ${p.attempts},
+        backoff = @Backoff(delay = ${p.baseDelayMs}, multiplier = 2.0, random = true))
+    public ${R}Response ${p.op}(${R}Request request) {
         return restClient.post()
             .uri("/v1/${snake(p.op).replace(/_/g, '-')}")
`))];
    if (p.withTest) {
      files.push(added(`${dir(ctx, 'java', 'test')}/clients/${C}ClientRetryTest.java`, `
package ${basePkg(ctx)}.clients;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest
class ${C}ClientRetryTest extends WireMockTestBase {

    @Test
    void retriesServiceUnavailableOnce() {
        stubSequence("/v1/${snake(p.op).replace(/_/g, '-')}", 503, 200);
        assertThat(client.${p.op}(Fixtures.${camel(p.op)}Request())).isNotNull();
        verifyCalls("/v1/${snake(p.op).replace(/_/g, '-')}", 2);
    }
}
`));
    }
    return files;
  },

  guard(ctx, p) {
    const e = camel(p.entity);
    const guard = [`        if (${e}.get${pascal(p.field)}() == null) {`, `            throw new IllegalStateException("${p.entity} " + ${e}.getId() + " has no ${p.field}");`, `        }`];
    const before = [`    public ${p.entity}Result handle(${p.entity} ${e}) {`, `        log.debug("handling {}", ${e}.getId());`];
    const after = [`        var result = calculator.apply(${e});`, `        return repository.save(result);`];
    const path = `${dir(ctx, 'java', 'main')}/${ctx.profile.module}/${p.entity}Service.java`;
    return [modified(path, p.add ? hunkOf(52, `public class ${p.entity}Service {`, before, [], guard, after) : hunkOf(52, `public class ${p.entity}Service {`, before, guard, [], after))];
  },

  field(ctx, p) {
    const jt = p.type === 'number' ? 'Integer' : p.type === 'boolean' ? 'Boolean' : p.type === 'date' ? 'Instant' : 'String';
    const f = camel(p.field);
    const files = [modified(`${dir(ctx, 'java', 'main')}/${ctx.profile.module}/${p.entity}Response.java`, hunk(8, '', `
 public record ${p.entity}Response(
         String id,
-        Instant updatedAt) {
+        Instant updatedAt,
+        @JsonInclude(JsonInclude.Include.NON_NULL) ${jt} ${f}) {
`))];
    if (p.withTest) {
      files.push(modified(javaKit.testPath(ctx, `${p.entity}Response`), hunk(19, '', `
         var json = mapper.writeValueAsString(response);
         assertThat(json).contains("\\"id\\"");
+        assertThat(json).contains("\\"${f}\\"");
`)));
    }
    return files;
  },

  bugfix(ctx, v) {
    const d = `${dir(ctx, 'java', 'main')}/${ctx.profile.module}`;
    if (v === 'rounding') {
      return [modified(`${d}/Amounts.java`, hunk(33, '', `
     public static BigDecimal lineTax(BigDecimal net, BigDecimal rate) {
-        return net.multiply(rate).setScale(2, RoundingMode.HALF_UP);
+        // HMRC rounds per line half-down for VAT-inclusive prices; HALF_UP overcharged by 1p on ~0.4% of lines.
+        return net.multiply(rate).setScale(2, RoundingMode.HALF_DOWN);
     }
`))];
    }
    if (v === 'pagination') {
      return [modified(`${d}/${ctx.profile.entity}Controller.java`, hunk(61, '', `
             @RequestParam(defaultValue = "1") int page) {
-        return service.list(PageRequest.of(page, Math.min(size, 200)));
+        return service.list(PageRequest.of(Math.max(page - 1, 0), Math.min(size, 200)));
     }
`))];
    }
    return [modified(`${d}/SlotClock.java`, hunk(22, '', `
     public LocalDate today() {
-        return LocalDate.now(ZoneOffset.UTC);
+        return LocalDate.now(clock.withZone(storeZone));
     }
`))];
  },

  metric(ctx, p) {
    return [modified(`${dir(ctx, 'java', 'main')}/clients/${pascal(p.client)}Client.java`, hunk(44, '', `
     public ${pascal(p.op)}Response ${p.op}(${pascal(p.op)}Request request) {
-        return call(request);
+        return Timer.builder("${p.metric}").tag("op", "${p.op}").register(meterRegistry)
+            .record(() -> call(request));
     }
`))];
  },

  refactor(ctx, p) {
    const d = `${dir(ctx, 'java', 'main')}/${ctx.profile.module}`;
    return [
      modified(`${d}/${pascal(p.from)}.java`, hunk(29, '', `
-    public void ${p.from}(String id) {
+    public void ${p.to}(String id) {
         var current = repository.findById(id).orElseThrow();
`)),
      ...p.callers.map((c, i) => modified(`${dir(ctx, 'java', 'main')}/${c.replace(/-/g, '')}.java`, hunk(33 + i * 5, '', `
         for (var id : ids) {
-            service.${p.from}(id);
+            service.${p.to}(id);
         }
`))),
      modified(javaKit.testPath(ctx, p.from), hunk(25, '', `
     @Test
-    void ${p.from}UpdatesTimestamp() {
-        service.${p.from}("id-1");
+    void ${p.to}UpdatesTimestamp() {
+        service.${p.to}("id-1");
`)),
    ];
  },

  depBump(_ctx, d) {
    return [modified('pom.xml', hunk(21, '', `
     <properties>
         <java.version>21</java.version>
-        <${d.name}.version>${d.from}</${d.name}.version>
+        <${d.name}.version>${d.to}</${d.name}.version>
     </properties>
`))];
  },

  deps: [
    { name: 'spring-boot', from: '3.3.5', to: '3.3.7' },
    { name: 'jackson-bom', from: '2.17.2', to: '2.18.2' },
    { name: 'postgresql', from: '42.7.3', to: '42.7.4' },
    { name: 'micrometer', from: '1.13.6', to: '1.14.2' },
  ],
};

