//! Section 5: auto-pagination holds one page at a time. A counting allocator measures the peak
//! heap while `items()` streams 1,000 and then 10,000 certificates from the local server; the
//! peak should not grow with the item count.

use std::hint::black_box;

use anyhow::{Result, ensure};
use cloudflare_client_certificates::Client;
use cloudflare_client_certificates::types::{ClientCertificate, ResultInfo};

use crate::alloc;
use crate::baseline::Envelope;
use crate::client::TOKEN;
use crate::report::{Report, Row, Verdict};
use crate::server::{PER_PAGE, Server, page_body, paged_zone};
use crate::util::{bytes, ratio};

/// The page counts the server must be started with for this section.
pub const PAGE_SETS: [usize; 2] = [20, 200];

/// Streams every item of the `total_pages`-page list; returns (peak heap bytes, requests).
async fn stream(client: &Client, server: &Server, total_pages: usize) -> Result<(isize, usize)> {
    let zone = paged_zone(total_pages);
    let served = server.served();
    alloc::start();
    let mut items = client
        .client_certificates()
        .list(zone.as_str())
        .per_page(50)
        .items();
    let mut count = 0usize;
    let mut last_id = None;
    while let Some(item) = items.next().await {
        let cert = item?;
        count += 1;
        last_id = cert.id.clone();
        black_box(cert);
    }
    drop(items);
    let usage = alloc::stop();
    ensure!(
        count == total_pages * PER_PAGE,
        "streamed {count} items, expected {}",
        total_pages * PER_PAGE
    );
    black_box(last_id);
    Ok((usage.peak, server.served() - served))
}

/// Section 5.
pub async fn memory(report: &mut Report, server: &Server) -> Result<()> {
    report.section("5. Pagination memory (`list(zone).per_page(50).items()`, counting allocator)");
    let client = Client::builder()
        .base_url(&server.base_url)
        .api_token(TOKEN)
        .build()?;
    // Open the connection first, so that neither measurement pays for it.
    client
        .client_certificates()
        .list(paged_zone(PAGE_SETS[0]))
        .per_page(50)
        .await?;

    let body = page_body(1, 1);
    alloc::start();
    let page: Envelope<Vec<ClientCertificate>, ResultInfo> = serde_json::from_slice(&body)?;
    let decoded = alloc::usage().live;
    drop(page);
    alloc::stop();
    report.push(Row::new(
        "One page of 50: JSON body; decoded items on the heap",
        format!("{}; {}", bytes(body.len() as f64), bytes(decoded as f64)),
    ));

    let (small, small_requests) = stream(&client, server, PAGE_SETS[0]).await?;
    report.push(Row::new(
        format!(
            "Stream {} items ({small_requests} requests): peak heap",
            PAGE_SETS[0] * PER_PAGE
        ),
        bytes(small as f64),
    ));
    let (large, large_requests) = stream(&client, server, PAGE_SETS[1]).await?;
    let growth = large as f64 / small as f64;
    report.push(
        Row::new(
            format!(
                "Stream {} items ({large_requests} requests): peak heap",
                PAGE_SETS[1] * PER_PAGE
            ),
            bytes(large as f64),
        )
        .baseline(
            format!("{} items {}", PAGE_SETS[0] * PER_PAGE, bytes(small as f64)),
            ratio(growth),
        )
        .target(
            "independent of item count (≤ 1.25x)",
            Verdict::of(growth <= 1.25),
        )
        .remedy(
            "A peak that grows with the item count means a page or its items are kept after \
             use; look at `ItemStream` and `paginate` in runtime/pagination.rs.",
        ),
    );

    let zone = paged_zone(PAGE_SETS[1]);
    alloc::start();
    let all = client
        .client_certificates()
        .list(zone.as_str())
        .per_page(50)
        .items()
        .try_collect()
        .await?;
    let usage = alloc::stop();
    ensure!(
        all.len() == PAGE_SETS[1] * PER_PAGE,
        "collected {} items",
        all.len()
    );
    drop(all);
    report.push(
        Row::new(
            format!(
                "For contrast: collect all {} items into a Vec",
                PAGE_SETS[1] * PER_PAGE
            ),
            bytes(usage.peak as f64),
        )
        .baseline(
            format!("streaming {}", bytes(large as f64)),
            ratio(usage.peak as f64 / large as f64),
        ),
    );
    Ok(())
}
