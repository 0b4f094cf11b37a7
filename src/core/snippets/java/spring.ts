import { lowerFirst, pascal } from '../options';
import type { Pattern, RenderContext } from '../types';

/**
 * Spring Cache over Redis (spring-boot-starter-data-redis): the annotations do the caching;
 * the generated file holds the service and the cache configuration (TTL, key prefix, JSON,
 * transaction-aware writes so a cache put waits for the database commit).
 */

function config(ctx: RenderContext, cacheName: string): string {
  return `    /** TTL, key prefix and JSON values for the "${cacheName}" cache; puts wait for the transaction to commit. */
    @Configuration
    @EnableCaching
    public static class CacheConfig {
        @Bean
        public RedisCacheManagerBuilderCustomizer ${lowerFirst(ctx.opts.entity)}CacheCustomizer() {
            return builder -> builder
                .transactionAware()
                .withCacheConfiguration("${cacheName}", RedisCacheConfiguration.defaultCacheConfig()
                    .entryTtl(Duration.ofSeconds(${ctx.opts.ttl}))
                    .computePrefixWith(name -> "${ctx.opts.prefix}")
                    .serializeValuesWith(SerializationPair.fromSerializer(new GenericJackson2JsonRedisSerializer())));
        }
    }`;
}

const IMPORTS = `import java.time.Duration;
import org.springframework.boot.autoconfigure.cache.RedisCacheManagerBuilderCustomizer;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.serializer.GenericJackson2JsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;
import org.springframework.stereotype.Service;
`;

function source(ctx: RenderContext): string {
  const E = ctx.opts.entity;
  return `    /** Your data access: implement it with JPA, JDBC or anything else. */
    public interface ${E}Source {
        ${E} ${lowerFirst(ctx.opts.loader)}(String id);

        void ${lowerFirst(ctx.opts.writer)}(String id, ${E} value);
    }`;
}

export const SPRING_PATTERNS: Partial<Record<Pattern, (ctx: RenderContext) => string>> = {
  'cache-aside': (ctx) => {
    const E = ctx.opts.entity; const cls = `${E}${pascal(ctx.pattern)}Service`; const cache = ctx.opts.prefix.replace(/:$/, '') || 'cache';
    return `${IMPORTS}
/** Cache-aside with Spring Cache: @Cacheable reads, @CacheEvict after a write. ${E} is your own class. */
@Service
public class ${cls} {
    private final ${E}Source source;

    public ${cls}(${E}Source source) {
        this.source = source;
    }

    /** A miss runs the method and caches its result; null results are not cached. */
    @Cacheable(cacheNames = "${cache}", key = "#id", unless = "#result == null")
    public ${E} get(String id) {
        return source.${lowerFirst(ctx.opts.loader)}(id);
    }

    /** The database write runs first; the entry is evicted only after it returned. */
    @CacheEvict(cacheNames = "${cache}", key = "#id")
    public void update(String id, ${E} value) {
        source.${lowerFirst(ctx.opts.writer)}(id, value);
    }

${source(ctx)}

${config(ctx, cache)}
}
`;
  },
  'write-through': (ctx) => {
    const E = ctx.opts.entity; const cls = `${E}${pascal(ctx.pattern)}Service`; const cache = ctx.opts.prefix.replace(/:$/, '') || 'cache';
    return `${IMPORTS}
/**
 * Write-through with Spring Cache: @CachePut stores the method's result only after the method
 * returned, so a database write that throws leaves the cache untouched. ${E} is your own class.
 */
@Service
public class ${cls} {
    private final ${E}Source source;

    public ${cls}(${E}Source source) {
        this.source = source;
    }

    @Cacheable(cacheNames = "${cache}", key = "#id", unless = "#result == null")
    public ${E} get(String id) {
        return source.${lowerFirst(ctx.opts.loader)}(id);
    }

    @CachePut(cacheNames = "${cache}", key = "#id")
    public ${E} save(String id, ${E} value) {
        source.${lowerFirst(ctx.opts.writer)}(id, value);
        return value;
    }

    /** For deletes: the entry goes after the database delete returned. */
    @CacheEvict(cacheNames = "${cache}", key = "#id")
    public void evict(String id) {
    }

${source(ctx)}

${config(ctx, cache)}
}
`;
  },
  memoize: (ctx) => {
    const E = ctx.opts.entity; const cls = `${E}${pascal(ctx.pattern)}Service`; const cache = (ctx.opts.prefix.replace(/:$/, '') || 'cache') + '-memo';
    return `${IMPORTS}
/**
 * Memoize with Spring Cache: @Cacheable(sync = true) lets one thread per key compute while the
 * others wait, and caches null results too (Spring stores them as a NullValue).
 */
@Service
public class ${cls} {
    private final ${E}Source source;

    public ${cls}(${E}Source source) {
        this.source = source;
    }

    @Cacheable(cacheNames = "${cache}", key = "#root.methodName + ':' + #id", sync = true)
    public ${E} compute(String id) {
        return source.${lowerFirst(ctx.opts.loader)}(id);
    }

${source(ctx)}

${config(ctx, cache)}
}
`;
  },
};
