// Each outlet's boilerplate, in hand-written snippets shaped like the real markup, is removed
// while the article's paragraphs stay.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseText } from '../../../indexer/parse-file.js';

function body(url: string, html: string): string {
  const r = parseText('x.md', `<!--1602525433000-->\n[标题](${url})\n------\n\n${html}`);
  assert.ok(r.ok, !r.ok ? r.error : '');
  return r.doc.body;
}

const REAL = '<p>这是文章真正的第一段内容。</p><p>这是第二段。</p>';
const EXPECTED = '这是文章真正的第一段内容。\n\n这是第二段。';

describe('cleaning, per outlet', () => {
  it('feedx wrapper: metadata line, image caption and RSS footer go', () => {
    const html = `<div><i>KONEY BAI<br>2020-10-13 09:46:43</i></div><img src="https://a/b.jpg"><div><small style="color: #999;">图片说明</small></div>${REAL}<br><hr><div>获取更多RSS：<br><a href="https://feedx.net">https://feedx.net</a><br><a href="https://feedx.xyz">https://feedx.xyz</a></div>`;
    const r = parseText('x.md', `<!--1602525433000-->\n[标题](https://cn.nytimes.com/china/20201013/x/)\n------\n\n${html}`);
    assert.ok(r.ok);
    assert.equal(r.doc.body, EXPECTED);
    assert.equal(r.doc.author, 'KONEY BAI');
  });

  it('RFI: share widgets with SVG, self-promos and the AFP line go', () => {
    const html = `<div>12/10/2020 - 18:05</div><div class="t-content__body">${REAL}<p class="t-copyright">© 2020 AFP</p><div class="o-self-promo o-self-promo--nl">订阅新闻信</div></div><div><a href="https://www.facebook.com/dialog/share?x"><svg><path d="M1"/></svg>分享</a><a href="whatsapp://send?text=x"><svg/></a><span data-root-share><share-button>分享</share-button></span></div>`;
    assert.equal(body('https://www.rfi.fr/cn/中国/20201012-x', html), EXPECTED);
  });

  it('BBC: ads, image credits and captions, relative time and related-story lists go', () => {
    const html = `<main role="main"><div><time dateTime="2020-10-10">20 分钟前</time></div><div class="Figure-sc-6a3dhy-0"><img src="https://ichef/a.jpg"><p role="text" class="Copyright-sc-11lgtw-0"><span class="VisuallyHiddenText-sc">图像来源，</span><span>GETTY</span></p><p>图片说明文字</p></div>${REAL}<section aria-label="广告 2" role="region" data-e2e="advertisement"><div>广告</div></section><div><ul role="list"><li role="listitem"><a href="https://www.bbc.com/zhongwen/simp/world-1">相关报道标题</a></li></ul></div></main>`;
    assert.equal(body('https://www.bbc.com/zhongwen/simp/world-54474047', html), EXPECTED);
  });

  it('DW: the copyright notice goes, the byline stays', () => {
    const html = `${REAL}<p>凝炼/叶宣（德新社，路透社）</p><p><em>© 2020</em><em>年</em><em>德国之声版权声明：本文所有内容受到著作权法保护，如无德国之声特别授权，不得擅自使用。</em></p>`;
    assert.equal(body('https://www.dw.com/zh/x/a-55245736', html), `${EXPECTED}\n\n凝炼/叶宣（德新社，路透社）`);
  });

  it('NYT: the newsletter and follow-us blurb goes', () => {
    const html = `${REAL}<p><i>感谢阅读今天的简报</i><i>，新读者请</i><i><a href="https://sso.nytcn.me/email/?source=top-right">点击此处订阅</a>。</i><i>欢迎在Twitter(</i><a href="https://twitter.com/nytchinese"><i>@nytchinese</i></a><i>)上关注我们。如有任何建议，请来信：cn.letters@nytimes.com。</i></p>`;
    assert.equal(body('https://cn.nytimes.com/morning-brief/20201013/x/', html), EXPECTED);
  });

  it('RFA: inline image blocks with repeated captions, related links and the staff credit go; <br><br> splits paragraphs', () => {
    const html = `<p>第一段。<br/><br/> 第二段。</p><ul><li><b><a class="external-link" href="http://www.rfa.org/mandarin/x.html">相关报道</a></b></li></ul><p><div class="image-inline captioned"><div><img alt="说明" src="https://www.rfa.org/a.jpg"/></div><div class="image-caption"><span>说明</span></div><div id="zoomattribute"><a href="/a.jpg"><img src="/rfa_resources/graphics/icon-zoom.png"/></a></div></div><br/> 第三段。</p><p>记者：文海欣、郑日尧    责编：胡力汉 嘉远   网编：瑞哲</p><p>（记者：韩洁   责编：申铧   网编：洪伟）</p>`;
    assert.equal(
      body('https://www.rfa.org/mandarin/yataibaodao/gangtai/ac1-10062020115440.html', html),
      '第一段。\n\n第二段。\n\n第三段。',
    );
  });

  it('CDT: AddToAny, WordPress embeds and captions, footer tags and the Better Feed line go; tags are kept', () => {
    const html = `${REAL}<div id="attachment_1" class="wp-caption aligncenter"><img src="https://chinadigitaltimes.net/a.png"><p class="wp-caption-text">图表说明</p></div><blockquote class="wp-embedded-content"><p><a href="https://chinadigitaltimes.net/chinese/2019/12/x/">【麻辣总局】另一篇</a></p></blockquote><p><iframe class="wp-embedded-content" src="https://chinadigitaltimes.net/x/embed/"></iframe></p><div class="addtoany_share_save_container addtoany_content"><div class="a2a_kit"><a class="a2a_button_facebook" href="https://www.addtoany.com/add_to/facebook"></a></div></div><hr /><p><small>&copy; 作者 for <a href="https://chinadigitaltimes.net/chinese">中国数字时代</a> |<br/>Post tags: <a href="https://chinadigitaltimes.net/chinese/tag/a/" rel="tag">中产阶级</a>, <a href="https://chinadigitaltimes.net/chinese/tag/b/" rel="tag">林冲</a><br/></small></p><p><small>Feed enhanced by <a href='http://planetozh.com/blog/my-projects/wordpress-plugin-better-feed-rss/'>Better Feed</a> from <a href='http://planetozh.com/blog/'>Ozh</a></small></p>`;
    const r = parseText(
      'x.md',
      `[标题](https://chinadigitaltimes.net/chinese/2020/06/x/)\n------\n日期：Thu, 25 Jun 2020 08:58:40 +0000\n\n${html}`,
    );
    assert.ok(r.ok);
    assert.equal(r.doc.body, EXPECTED);
    assert.deepEqual(r.doc.tags, ['中产阶级', '林冲']);
  });

  it('hkcnews: shortcodes, the subscription appeal and the author box go', () => {
    const md = `# 標題\n\n第一段。\n\n{{< video src="https://www.facebook.com/plugins/video.php?x" >}}\n\n第二段 **重點** [連結](https://a.example)。\n\n<figure><img src="https://web.archive.org/web/2021im_/https://www.hkcnews.com/a.jpg" alt=""><figcaption>圖片說明</figcaption></figure>\n\n---\n\n\n請加入成為眾新聞的月費訂戶，長期支持我們的工作。\n\n月費訂戶 [網址：hkcnews.com/aboutus/#subscribe](/web/2021/https://www.hkcnews.com/aboutus/#subscribe)\n\n---\n\n![博客 | 某人](https://web.archive.org/a.png)\n\n**博客 | 某人**\n\n【某人・專欄】某人是一位資深的作者，長期關注社會議題與文化現象的發展與變化。\n`;
    const r = parseText(
      'x.md',
      `---\ntitle: "標題"\ndate: "2020-01-01"\ncategory: "眾說"\nurl: "https://www.hkcnews.com/article/9/x"\n---\n\n${md}`,
    );
    assert.ok(r.ok, !r.ok ? r.error : '');
    assert.equal(r.doc.body, '第一段。\n\n第二段 重點 連結。');
    assert.equal(r.doc.image, 'https://web.archive.org/web/2021im_/https://www.hkcnews.com/a.jpg');
    assert.deepEqual(r.doc.topics.slice(0, 1), ['评论']);
  });
});
