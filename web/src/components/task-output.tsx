// A task's result as its type calls for: images (shown whole), a video player with its poster, an
// audio player, and for tools the input image next to the result (a before/after slider).
import { type CSSProperties, useState } from 'react';
import { dataUrlBytes, fmtBytes } from '../format';
import { useI18n } from '../i18n';
import type { Model, Task, TaskAudio, TaskImage, TaskVideo } from '../types';

const IMAGE_KEYS = ['image_url', 'image', 'input_image', 'image_uri'];

/** The image a tool task was given (a URL or a data: URL), if any. */
export function inputImageUrl(task: Task, model?: Model): string | undefined {
  const named = model?.parameters.filter((p) => p.widget === 'image').map((p) => p.name) ?? [];
  for (const key of [...named, ...IMAGE_KEYS]) {
    const v = task.input[key];
    if (typeof v === 'string' && v) return v;
  }
  for (const v of Object.values(task.input)) if (typeof v === 'string' && /^data:image\//.test(v)) return v;
  return undefined;
}

/** The text a task was asked for (prompt, or the text to speak), for lists and alt texts. */
export function taskSummary(task: Task): string {
  for (const key of ['prompt', 'input', 'text', 'lyrics']) {
    const v = task.input[key];
    if (typeof v === 'string' && v.trim()) return v;
  }
  const image = inputImageUrl(task);
  if (!image) return '';
  if (image.startsWith('data:')) return `${image.slice(5, image.search(/[;,]/))} · ${fmtBytes(dataUrlBytes(image))}`;
  return image.replace(/[?#].*$/, '').split('/').pop() || image;
}

/** The first piece of output, whatever its kind. */
export function firstOutput(task: Task): { image?: TaskImage; video?: TaskVideo; audio?: TaskAudio } {
  return { image: task.output?.images?.[0], video: task.output?.videos?.[0], audio: task.output?.audio?.[0] };
}

const seconds = (s: number) => `${Number.isInteger(s) ? s : s.toFixed(1)}s`;

/** A small square for tables and lists: the image, the video's poster, or a note symbol. */
export function TaskThumb({ task, link = true }: { task: Task; link?: boolean }) {
  const { image, video, audio } = firstOutput(task);
  const alt = taskSummary(task);
  let inner = null;
  let href: string | undefined;
  if (image) {
    inner = <img src={image.url} alt={alt} loading="lazy" width={48} height={48} />;
    href = image.url;
  } else if (video) {
    inner = (
      <>
        <img src={video.thumbnail_url} alt={alt} loading="lazy" width={48} height={48} />
        <span className="thumb-badge" aria-hidden="true">
          ▶
        </span>
      </>
    );
    href = video.url;
  } else if (audio) {
    inner = (
      <span className="thumb-audio" title={seconds(audio.duration_s)}>
        <span aria-hidden="true">♪</span>
        <span className="small">{seconds(audio.duration_s)}</span>
      </span>
    );
    href = audio.url;
  }
  if (!inner || !href) return <span className="thumb" data-output="none" />;
  const kind = image ? 'image' : video ? 'video' : 'audio';
  if (!link)
    return (
      <span className="thumb" data-output={kind}>
        {inner}
      </span>
    );
  return (
    <a className="thumb" data-output={kind} href={href} target="_blank" rel="noreferrer" onClick={(e) => e.stopPropagation()} tabIndex={-1}>
      {inner}
    </a>
  );
}

export function ImageView({ image, alt, testId }: { image: TaskImage; alt: string; testId?: string }) {
  return <img className="media-image" src={image.url} alt={alt} width={image.width} height={image.height} data-testid={testId} />;
}

export function VideoView({ video, testId }: { video: TaskVideo; testId?: string }) {
  return (
    <video
      className="media-video"
      src={video.url}
      poster={video.thumbnail_url}
      width={video.width}
      height={video.height}
      controls
      playsInline
      preload="metadata"
      data-testid={testId}
    />
  );
}

export function AudioView({ audio, testId }: { audio: TaskAudio; testId?: string }) {
  return <audio className="media-audio" src={audio.url} controls preload="metadata" data-testid={testId} />;
}

/** The tool's input and its result on top of each other, split where the slider is; or side by side. */
export function BeforeAfter({ before, after }: { before: string; after: TaskImage }) {
  const { t } = useI18n();
  const [pos, setPos] = useState(50);
  const [sideBySide, setSideBySide] = useState(false);
  return (
    <div className="before-after" data-testid="before-after">
      <div className="toggle-group" role="group" aria-label={t('compare_view')}>
        <button type="button" className={!sideBySide ? 'on' : ''} aria-pressed={!sideBySide} onClick={() => setSideBySide(false)}>
          {t('compare_slider')}
        </button>
        <button type="button" className={sideBySide ? 'on' : ''} aria-pressed={sideBySide} onClick={() => setSideBySide(true)}>
          {t('compare_side_by_side')}
        </button>
      </div>
      {sideBySide ? (
        <div className="compare-pair">
          <figure>
            <img src={before} alt={t('compare_before')} data-testid="before-image" />
            <figcaption className="muted small">{t('compare_before')}</figcaption>
          </figure>
          <figure>
            <img src={after.url} alt={t('compare_after')} width={after.width} height={after.height} data-testid="after-image" />
            <figcaption className="muted small">{t('compare_after')}</figcaption>
          </figure>
        </div>
      ) : (
        <div className="compare" style={{ aspectRatio: `${after.width} / ${after.height}`, '--pos': `${pos}%` } as CSSProperties}>
          <img className="compare-img" src={after.url} alt={t('compare_after')} data-testid="after-image" />
          <img className="compare-img compare-before" src={before} alt={t('compare_before')} data-testid="before-image" />
          <span className="compare-line" aria-hidden="true" />
          <span className="compare-label left" aria-hidden="true">
            {t('compare_before')}
          </span>
          <span className="compare-label right" aria-hidden="true">
            {t('compare_after')}
          </span>
          <input
            type="range"
            className="compare-range"
            min={0}
            max={100}
            value={pos}
            aria-label={t('compare_position')}
            aria-valuetext={`${pos}%`}
            onChange={(e) => setPos(Number(e.target.value))}
          />
        </div>
      )}
    </div>
  );
}

/** Size, length and format of a piece of output, in one muted line. */
export function MediaFacts({ image, video, audio }: { image?: TaskImage; video?: TaskVideo; audio?: TaskAudio }) {
  const parts = image
    ? [`${image.width}×${image.height}`, image.format.toUpperCase(), fmtBytes(image.bytes)]
    : video
      ? [`${video.width}×${video.height}`, seconds(video.duration_s), 'MP4', fmtBytes(video.bytes)]
      : audio
        ? [seconds(audio.duration_s), audio.format.toUpperCase(), `${(audio.sample_rate / 1000).toFixed(audio.sample_rate % 1000 ? 1 : 0)} kHz`, fmtBytes(audio.bytes)]
        : [];
  return <span className="muted small">{parts.join(' · ')}</span>;
}

/** Everything a finished task produced, by type; `before` is the tool's input image when known. */
export function TaskOutputView({ task, model, prefix = 'task', localImage }: { task: Task; model?: Model; prefix?: string; localImage?: (value: string) => string | undefined }) {
  const { t } = useI18n();
  const images = task.output?.images ?? [];
  const videos = task.output?.videos ?? [];
  const audio = task.output?.audio ?? [];
  // The input beside the result: a picture this browser still has, or a URL it can show (an
  // uploaded `aio-file://` input needs the API key to read, which an <img> cannot send).
  const input = task.type === 'tool' ? inputImageUrl(task, model) : undefined;
  const before = input ? (localImage?.(input) ?? (/^(https?:|data:image\/)/.test(input) ? input : undefined)) : undefined;
  const alt = taskSummary(task);
  const download = (url: string, ext: string, i: number) => (
    <a className="btn btn-small" href={url} download={`${task.id}${i ? `-${i + 1}` : ''}.${ext}`}>
      {t('download')}
    </a>
  );
  return (
    <div className="task-output" data-output-type={task.type}>
      {before && images[0] && <BeforeAfter before={before} after={images[0]} />}
      {images.map((img, i) => (
        <figure key={img.url} className="media">
          {!(before && i === 0) && (
            <a href={img.url} target="_blank" rel="noreferrer">
              <ImageView image={img} alt={alt} testId={i === 0 ? `${prefix}-image` : undefined} />
            </a>
          )}
          <figcaption className="row-actions spread">
            <MediaFacts image={img} />
            <span className="row-actions">
              {download(img.url, img.format, i)}
              <a className="btn btn-small" href={img.url} target="_blank" rel="noreferrer">
                {t('open_full')}
              </a>
            </span>
          </figcaption>
        </figure>
      ))}
      {videos.map((v, i) => (
        <figure key={v.url} className="media">
          <VideoView video={v} testId={i === 0 ? `${prefix}-video` : undefined} />
          <figcaption className="row-actions spread">
            <MediaFacts video={v} />
            {download(v.url, 'mp4', i)}
          </figcaption>
        </figure>
      ))}
      {audio.map((a, i) => (
        <figure key={a.url} className="media">
          <AudioView audio={a} testId={i === 0 ? `${prefix}-audio` : undefined} />
          <figcaption className="row-actions spread">
            <MediaFacts audio={a} />
            {download(a.url, a.format, i)}
          </figcaption>
        </figure>
      ))}
    </div>
  );
}
